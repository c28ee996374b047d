package fathom.data;

import fathom.Tensor;
import fathom.Tensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A table from a CSV file with a header row, as a dataset: sample {@code i} is row {@code i}, its
 * input float32 [F] (the numeric columns, then each categorical column as one index or a one-hot
 * group, in header order) and its target int64 (a class index into {@link #classes()}) or float32 (a
 * regression value), as {@link CsvConfig} says. Batches are selected from whole tensors.
 *
 * <p>Categories and classes are the distinct values, sorted (numerically when all are numbers); read
 * a second file with {@link #read(Path, CsvConfig, CsvVocabulary)} and the first file's
 * {@link #vocabulary()} so both encode alike. A ragged row, a missing value, a value that is not a
 * finite decimal number in a numeric column, or an unknown category or class is a
 * {@link DataFormatException} naming the file, line and column.
 */
public final class CsvDataset implements Dataset {
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private final TensorDataset tensors;
    private final List<String> featureNames;
    private final CsvVocabulary vocabulary;

    private CsvDataset(TensorDataset tensors, List<String> featureNames, CsvVocabulary vocabulary) {
        this.tensors = tensors;
        this.featureNames = featureNames;
        this.vocabulary = vocabulary;
    }

    /** The rows of {@code file}, with categories and classes learned from it. */
    public static CsvDataset read(Path file, CsvConfig config) throws IOException {
        return read(file, config, null);
    }

    /** The rows of {@code file}, encoded with {@code vocabulary} (from another file); values outside it are errors. */
    public static CsvDataset read(Path file, CsvConfig config, CsvVocabulary vocabulary) throws IOException {
        String source = file.toString();
        List<CsvRecords.Row> rows = CsvRecords.read(file, config.delimiter());
        if (rows.isEmpty()) {
            throw new DataFormatException(source, "empty: no header row");
        }
        CsvRecords.Row header = rows.get(0);
        List<String> names = header.fields();
        Map<String, Integer> columnOf = new HashMap<>();
        for (int c = 0; c < names.size(); c++) {
            if (names.get(c).isEmpty()) {
                throw new DataFormatException(source, header.line(), c + 1, "empty column name in the header");
            }
            if (columnOf.putIfAbsent(names.get(c), c) != null) {
                throw new DataFormatException(source, header.line(), c + 1, "duplicate column name '" + names.get(c) + "'");
            }
        }
        requireColumn(source, header, columnOf, config.target(), "target");
        for (String c : config.categorical()) {
            requireColumn(source, header, columnOf, c, "categorical");
        }
        for (String c : config.ignored()) {
            requireColumn(source, header, columnOf, c, "ignored");
        }
        int target = columnOf.get(config.target());
        List<CsvRecords.Row> data = rows.subList(1, rows.size());
        for (CsvRecords.Row row : data) {
            if (row.fields().size() != names.size()) {
                throw new DataFormatException(source, row.line(), 0, "has " + row.fields().size() + " fields, but the header has "
                        + names.size() + " columns");
            }
        }
        if (data.isEmpty()) {
            throw new DataFormatException(source, "no data rows after the header");
        }

        // the vocabulary: given, or learned from the distinct values of this file
        Map<String, List<String>> categories = new LinkedHashMap<>();
        List<String> classes;
        for (int c = 0; c < names.size(); c++) {
            if (config.categorical().contains(names.get(c))) {
                categories.put(names.get(c), vocabulary != null ? known(vocabulary.categories(), names.get(c), source)
                        : distinct(data, c, source, names.get(c)));
            }
        }
        boolean classification = config.task() == CsvConfig.Task.CLASSIFICATION;
        if (!classification) {
            classes = List.of();
        } else if (vocabulary != null) {
            classes = vocabulary.classes();
        } else {
            classes = distinct(data, target, source, names.get(target));
        }

        List<String> features = new ArrayList<>();
        List<Integer> featureColumns = new ArrayList<>();
        Map<Integer, Map<String, Integer>> indexOf = new HashMap<>();
        for (int c = 0; c < names.size(); c++) {
            String name = names.get(c);
            if (c == target || config.ignored().contains(name)) {
                continue;
            }
            featureColumns.add(c);
            if (categories.containsKey(name)) {
                List<String> cats = categories.get(name);
                indexOf.put(c, indices(cats));
                if (config.encoding() == CsvConfig.Encoding.ONE_HOT) {
                    for (String cat : cats) {
                        features.add(name + "=" + cat);
                    }
                } else {
                    features.add(name);
                }
            } else {
                features.add(name);
            }
        }
        if (features.isEmpty()) {
            throw new DataFormatException(source, header.line(), 0, "no feature columns besides the target and the ignored ones");
        }
        Map<String, Integer> classIndex = indices(classes);

        int n = data.size();
        int f = features.size();
        float[] x = new float[n * f];
        long[] yClass = classification ? new long[n] : null;
        float[] yValue = classification ? null : new float[n];
        for (int r = 0; r < n; r++) {
            CsvRecords.Row row = data.get(r);
            int at = r * f;
            for (int c : featureColumns) {
                String v = row.fields().get(c);
                Map<String, Integer> cats = indexOf.get(c);
                if (cats == null) {
                    x[at++] = number(v, source, row.line(), c, names.get(c));
                } else {
                    int k = category(v, cats, source, row.line(), c, "category of column '" + names.get(c) + "'");
                    if (config.encoding() == CsvConfig.Encoding.ONE_HOT) {
                        x[at + k] = 1;
                        at += cats.size();
                    } else {
                        x[at++] = k;
                    }
                }
            }
            String t = row.fields().get(target);
            if (classification) {
                yClass[r] = category(t, classIndex, source, row.line(), target, "class of target column '" + names.get(target) + "'");
            } else {
                yValue[r] = number(t, source, row.line(), target, names.get(target));
            }
        }
        Tensor inputs = Tensors.of(x, n, f);
        Tensor targets = classification ? Tensors.of(yClass) : Tensors.of(yValue);
        return new CsvDataset(new TensorDataset(inputs, targets), List.copyOf(features), new CsvVocabulary(categories, classes));
    }

    private static void requireColumn(String source, CsvRecords.Row header, Map<String, Integer> columnOf, String name, String role)
            throws DataFormatException {
        if (!columnOf.containsKey(name)) {
            throw new DataFormatException(source, header.line(), 0, role + " column '" + name + "' is not in the header "
                    + header.fields());
        }
    }

    private static List<String> known(Map<String, List<String>> categories, String column, String source) throws DataFormatException {
        List<String> cats = categories.get(column);
        if (cats == null) {
            throw new DataFormatException(source, "the vocabulary has no categories for column '" + column + "'");
        }
        return cats;
    }

    /** The distinct non-empty values of column {@code c}, numerically sorted when all are numbers, else by string. */
    private static List<String> distinct(List<CsvRecords.Row> data, int c, String source, String name) throws DataFormatException {
        TreeSet<String> values = new TreeSet<>();
        for (CsvRecords.Row row : data) {
            String v = row.fields().get(c);
            if (v.isEmpty()) {
                throw missing(source, row.line(), c, name);
            }
            values.add(v);
        }
        boolean numeric = values.stream().allMatch(v -> NUMBER.matcher(v).matches());
        List<String> sorted = new ArrayList<>(values);
        if (numeric) {
            sorted.sort(Comparator.comparingDouble(Double::parseDouble).thenComparing(Comparator.naturalOrder()));
        }
        return sorted;
    }

    private static Map<String, Integer> indices(List<String> values) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < values.size(); i++) {
            m.put(values.get(i), i);
        }
        return m;
    }

    private static float number(String v, String source, long line, int c, String name) throws DataFormatException {
        if (v.isEmpty()) {
            throw missing(source, line, c, name);
        }
        if (!NUMBER.matcher(v).matches()) {
            throw new DataFormatException(source, line, c + 1, "'" + v + "' is not a number (numeric column '" + name
                    + "'; list the column as categorical if it holds labels)");
        }
        float f = Float.parseFloat(v);
        if (Float.isInfinite(f)) {
            throw new DataFormatException(source, line, c + 1, "'" + v + "' overflows float32 (column '" + name + "')");
        }
        return f;
    }

    private static int category(String v, Map<String, Integer> known, String source, long line, int c, String what)
            throws DataFormatException {
        if (v.isEmpty()) {
            throw new DataFormatException(source, line, c + 1, "missing " + what);
        }
        Integer k = known.get(v);
        if (k == null) {
            throw new DataFormatException(source, line, c + 1, "unknown " + what + ": '" + v + "' (known: "
                    + (known.size() <= 20 ? new TreeSet<>(known.keySet()) : known.size() + " values") + ")");
        }
        return k;
    }

    private static DataFormatException missing(String source, long line, int c, String name) {
        return new DataFormatException(source, line, c + 1, "missing value in column '" + name + "'");
    }

    /** The names of the input features, in order; a one-hot group is named {@code column=category}. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** The target's classes in index order (empty for regression). */
    public List<String> classes() {
        return vocabulary.classes();
    }

    /** The categories and classes this file was encoded with, to read another file alike. */
    public CsvVocabulary vocabulary() {
        return vocabulary;
    }

    /** The whole table: inputs [N, F] and targets [N]. */
    public TensorDataset tensors() {
        return tensors;
    }

    @Override
    public int size() {
        return tensors.size();
    }

    @Override
    public Example get(int index) {
        return tensors.get(index);
    }

    @Override
    public Optional<Batch> select(int[] indices) {
        return tensors.select(indices);
    }
}
