package fathom;

/** An op was given a dtype it does not accept; the message names the op and the dtype. */
public class DTypeException extends IllegalArgumentException {
    public DTypeException(String message) {
        super(message);
    }
}
