package fathom;

/** In anomaly mode, an op produced NaN or infinity; the message names the op and whether forward or backward. */
public class AnomalyException extends ArithmeticException {
    public AnomalyException(String message) {
        super(message);
    }
}
