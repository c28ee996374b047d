package fathom.backend;

import java.util.ServiceLoader;

/**
 * Finds the backend every op runs on: the highest-priority {@link Backend} that
 * {@link ServiceLoader} sees, unless a scope set with {@link #use} overrides it.
 */
public final class Backends {
    private static volatile Backend current;

    private Backends() {}

    /** The backend ops run on now. */
    public static Backend current() {
        Backend b = current;
        if (b == null) {
            synchronized (Backends.class) {
                if (current == null) {
                    current = discover();
                }
                b = current;
            }
        }
        return b;
    }

    /** Runs ops on {@code backend} until the returned scope is closed (for tests that compare backends). */
    public static Scope use(Backend backend) {
        Backend previous = current();
        current = backend;
        return () -> current = previous;
    }

    private static Backend discover() {
        Backend best = null;
        for (Backend b : ServiceLoader.load(Backend.class, Backends.class.getClassLoader())) {
            if (best == null || b.priority() > best.priority()) {
                best = b;
            }
        }
        return best != null ? best : new ScalarBackend();
    }

    /** A backend override that ends when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
