package fathom.models;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Parsing of the architecture text the configs write: space-separated {@code key=value} pairs, all required. */
final class Arch {
    private Arch() {}

    static Map<String, String> parse(String model, String text, String... keys) {
        Map<String, String> v = new HashMap<>();
        for (String part : text.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(model + " architecture: expected key=value pairs, got '" + text + "'");
            }
            v.put(part.substring(0, eq), part.substring(eq + 1));
        }
        for (String k : keys) {
            if (!v.containsKey(k)) {
                throw new IllegalArgumentException(model + " architecture '" + text + "' lacks " + k + "=");
            }
        }
        return v;
    }

    static int[] ints(String list) {
        return Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
