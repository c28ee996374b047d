package fathom;

/** A backward pass cannot run as asked: nothing requires grad, a saved value was freed or overwritten in place, and so on. */
public class AutogradException extends IllegalStateException {
    public AutogradException(String message) {
        super(message);
    }
}
