package fathom.data;

/**
 * Loading a batch failed: thrown from {@link BatchIterator#next()} in the caller's thread, whichever
 * thread loaded the batch, naming the sample whose loading threw ({@link #sampleIndex()}) and
 * wrapping what it threw as the cause.
 */
public final class DataLoaderException extends RuntimeException {
    private final int sampleIndex;

    /** A failure of sample {@code sampleIndex} of the dataset, or of a whole batch when it is −1. */
    public DataLoaderException(String message, int sampleIndex, Throwable cause) {
        super(message, cause);
        this.sampleIndex = sampleIndex;
    }

    /** The dataset index of the sample that failed, or −1 when the failure was not one sample's. */
    public int sampleIndex() {
        return sampleIndex;
    }
}
