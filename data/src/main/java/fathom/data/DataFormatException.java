package fathom.data;

import java.io.IOException;

/**
 * A data file is malformed: its message names the file (and, for text formats, the line and column)
 * and says what is wrong (truncated, wrong magic number, sizes that disagree, a bad value).
 */
public final class DataFormatException extends IOException {
    private final String source;
    private final long line;
    private final int column;

    /** {@code source} (a path, or a resource name) is malformed as {@code what} says. */
    public DataFormatException(String source, String what) {
        this(source, what, null);
    }

    /** As {@link #DataFormatException(String, String)}, caused by {@code cause} (a decompression or image-decoding error). */
    public DataFormatException(String source, String what, Throwable cause) {
        super(source + ": " + what, cause);
        this.source = source;
        this.line = 0;
        this.column = 0;
    }

    /** A bad value in a text file at 1-based {@code line} and {@code column}. */
    public DataFormatException(String source, long line, int column, String what) {
        super(source + ", line " + line + (column > 0 ? ", column " + column : "") + ": " + what);
        this.source = source;
        this.line = line;
        this.column = column;
    }

    /** The file (or resource) that is malformed. */
    public String source() {
        return source;
    }

    /** The 1-based line of a text file where the problem is, or 0 for binary formats. */
    public long line() {
        return line;
    }

    /** The 1-based column (field) of a text file where the problem is, or 0 when it is the whole line or a binary format. */
    public int column() {
        return column;
    }
}
