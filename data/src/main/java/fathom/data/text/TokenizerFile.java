package fathom.data.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import fathom.data.DataFormatException;
import fathom.io.AtomicFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON file of a tokenizer: {@code {"type": ..., "version": 1, "symbols": "...", "pattern": "...",
 * "merges": [[a, b], ...]}}, the fields a kind does not use left out. Written atomically (a temporary
 * file in the same directory, forced to disk, then renamed over the target), so a crash never leaves
 * a half-written file.
 */
final class TokenizerFile {
    static final int VERSION = 1;
    private static final JsonFactory JSON = new JsonFactory();

    private TokenizerFile() {}

    /** The fields of a tokenizer file; {@code symbols}, {@code pattern} and {@code merges} may be null. */
    record Contents(String type, String symbols, String pattern, int[][] merges) {}

    static void write(Path file, Contents c) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("type", c.type());
            g.writeNumberField("version", VERSION);
            if (c.symbols() != null) {
                g.writeStringField("symbols", c.symbols());
            }
            if (c.pattern() != null) {
                g.writeStringField("pattern", c.pattern());
            }
            if (c.merges() != null) {
                g.writeArrayFieldStart("merges");
                for (int[] m : c.merges()) {
                    g.writeArray(m, 0, m.length);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        bytes.write('\n');
        AtomicFile.write(file, bytes.toByteArray());
    }

    static Contents read(Path file) throws IOException {
        String type = null;
        String symbols = null;
        String pattern = null;
        int[][] merges = null;
        try (JsonParser p = JSON.createParser(Files.readAllBytes(file))) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, file, "a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "type" -> type = text(p, value, file, name);
                    case "symbols" -> symbols = text(p, value, file, name);
                    case "pattern" -> pattern = text(p, value, file, name);
                    case "version" -> {
                        expect(p, value, JsonToken.VALUE_NUMBER_INT, file, "an integer version");
                        if (p.getIntValue() != VERSION) {
                            throw new DataFormatException(file.toString(), "tokenizer file version " + p.getIntValue() + " is not supported (expected " + VERSION + ")");
                        }
                    }
                    case "merges" -> merges = pairs(p, value, file);
                    default -> p.skipChildren();
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DataFormatException(file.toString(), "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (type == null) {
            throw new DataFormatException(file.toString(), "no \"type\" field: not a tokenizer file");
        }
        return new Contents(type, symbols, pattern, merges);
    }

    private static String text(JsonParser p, JsonToken t, Path file, String field) throws IOException {
        expect(p, t, JsonToken.VALUE_STRING, file, "a string for \"" + field + "\"");
        return p.getText();
    }

    private static int[][] pairs(JsonParser p, JsonToken t, Path file) throws IOException {
        expect(p, t, JsonToken.START_ARRAY, file, "an array of merges");
        List<int[]> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_ARRAY) {
            int[] pair = new int[2];
            for (int k = 0; k < 2; k++) {
                expect(p, p.nextToken(), JsonToken.VALUE_NUMBER_INT, file, "two integer ids in merge " + out.size());
                pair[k] = p.getIntValue();
            }
            expect(p, p.nextToken(), JsonToken.END_ARRAY, file, "exactly two ids in merge " + out.size());
            out.add(pair);
        }
        expect(p, p.currentToken(), JsonToken.END_ARRAY, file, "the end of the merges");
        return out.toArray(new int[0][]);
    }

    private static void expect(JsonParser p, JsonToken got, JsonToken want, Path file, String what) throws DataFormatException {
        if (got != want) {
            throw new DataFormatException(file.toString(), p.currentLocation().getLineNr(), p.currentLocation().getColumnNr(),
                    "expected " + what + ", found " + (got == null ? "the end of the file" : got.asString() == null ? got.name() : got.asString()));
        }
    }
}
