package fathom.data;

import java.util.Objects;
import java.util.Set;

/**
 * How a {@link CsvDataset} reads a CSV file with a header row: the {@code target} column, learned
 * as a class index ({@link Task#CLASSIFICATION}, int64) or a number ({@link Task#REGRESSION},
 * float32); the {@code categorical} columns, whose string values are encoded as one index each or
 * one-hot ({@link Encoding}); the {@code ignored} columns (ids, free text), skipped; every other
 * column numeric. The fields are separated by {@code delimiter}.
 */
public record CsvConfig(String target, Task task, Set<String> categorical, Encoding encoding, Set<String> ignored, char delimiter) {
    /** What the target column holds. */
    public enum Task {
        /** Class names (any strings), encoded as int64 indices into the sorted classes. */
        CLASSIFICATION,
        /** Numbers, as float32. */
        REGRESSION
    }

    /** How a categorical column becomes input features. */
    public enum Encoding {
        /** One feature holding the category's index (as a float) in the column's sorted categories. */
        INDEX,
        /** One feature per category, 1 for the row's and 0 for the others. */
        ONE_HOT
    }

    public CsvConfig {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(encoding, "encoding");
        categorical = Set.copyOf(categorical);
        ignored = Set.copyOf(ignored);
        if (categorical.contains(target) || ignored.contains(target)) {
            throw new IllegalArgumentException("the target column '" + target + "' cannot also be categorical or ignored");
        }
        for (String c : categorical) {
            if (ignored.contains(c)) {
                throw new IllegalArgumentException("column '" + c + "' cannot be both categorical and ignored");
            }
        }
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("the delimiter cannot be a quote or a line break");
        }
    }

    /** Comma-separated, no ignored columns. */
    public CsvConfig(String target, Task task, Set<String> categorical, Encoding encoding) {
        this(target, task, categorical, encoding, Set.of(), ',');
    }
}
