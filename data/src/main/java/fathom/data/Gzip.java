package fathom.data;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Decompresses bytes that start with the gzip magic number (0x1f 0x8b), whatever the file is called. */
final class Gzip {
    private Gzip() {}

    static boolean isGzip(byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
    }

    /** {@code bytes} inflated when they are gzip, else {@code bytes} itself. */
    static byte[] inflateIfGzip(byte[] bytes, String source) throws DataFormatException {
        if (!isGzip(bytes)) {
            return bytes;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes), 1 << 16)) {
            return in.readAllBytes();
        } catch (EOFException e) {
            throw new DataFormatException(source, "truncated gzip stream (" + bytes.length + " compressed bytes end mid-stream)", e);
        } catch (ZipException e) {
            throw new DataFormatException(source, "corrupt gzip stream: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DataFormatException(source, "unreadable gzip stream: " + e.getMessage(), e);
        }
    }
}
