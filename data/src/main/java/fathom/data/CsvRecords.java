package fathom.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of a UTF-8 CSV file, RFC 4180 style: fields separated by a delimiter, a field in
 * double quotes may hold the delimiter and doubled quotes ({@code ""}); unquoted fields are trimmed.
 * Blank lines are skipped; a quoted field cannot span lines.
 */
final class CsvRecords {
    /** One record's fields and its 1-based line number. */
    record Row(long line, List<String> fields) {}

    private CsvRecords() {}

    static List<Row> read(Path file, char delimiter) throws IOException {
        String source = file.toString();
        List<Row> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long lineNo = 0;
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                rows.add(new Row(lineNo, split(line, delimiter, source, lineNo)));
            }
        } catch (CharacterCodingException e) {
            throw new DataFormatException(source, "not valid UTF-8 text: " + e, e);
        }
        return rows;
    }

    static List<String> split(String line, char delimiter, String source, long lineNo) throws DataFormatException {
        List<String> fields = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            int start = i;
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            if (i < n && line.charAt(i) == '"') {
                StringBuilder b = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw new DataFormatException(source, lineNo, fields.size() + 1,
                                "unterminated quoted field (a quoted field cannot span lines)");
                    }
                    char ch = line.charAt(i++);
                    if (ch == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            b.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        b.append(ch);
                    }
                }
                while (i < n && line.charAt(i) == ' ') {
                    i++;
                }
                if (i < n && line.charAt(i) != delimiter) {
                    throw new DataFormatException(source, lineNo, fields.size() + 1,
                            "unexpected '" + line.charAt(i) + "' after a closing quote");
                }
                fields.add(b.toString());
            } else {
                i = start;
                while (i < n && line.charAt(i) != delimiter) {
                    i++;
                }
                fields.add(line.substring(start, i).strip());
            }
            if (i >= n) {
                return fields;
            }
            i++; // the delimiter
        }
    }
}
