package fathom.data;

import java.util.List;
import java.util.Map;

/**
 * The string values a {@link CsvDataset} encodes as indices: each categorical column's categories
 * and the target's classes (empty for regression), each list in index order. Read the test file with
 * the training file's vocabulary so both encode alike; a value outside it is then an error.
 */
public record CsvVocabulary(Map<String, List<String>> categories, List<String> classes) {
    public CsvVocabulary {
        categories = Map.copyOf(categories).entrySet().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
        classes = List.copyOf(classes);
    }
}
