package fathom.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.DType;
import fathom.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDatasetTest {
    @TempDir
    Path dir;

    private static final CsvConfig SPECIES = new CsvConfig("species", CsvConfig.Task.CLASSIFICATION, Set.of("color"),
            CsvConfig.Encoding.INDEX, Set.of("name"), ',');

    private Path csv(String name, String... lines) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return p;
    }

    private Path flowers() throws IOException {
        return csv("flowers.csv",
                "\uFEFFname,length,color,width,species",
                "\"Smith, J.\",1.5,red,0.25,setosa",
                "b,2,blue,-1e-1,virginica",
                "",
                "\"say \"\"hi\"\"\",  3 ,green,.5,setosa",
                "d,+4.,red,7,versicolor");
    }

    @Test
    void numericAndIndexEncodedColumnsWithSortedClasses() throws IOException {
        CsvDataset data = CsvDataset.read(flowers(), SPECIES);
        assertEquals(4, data.size());
        assertEquals(List.of("length", "color", "width"), data.featureNames());
        assertEquals(List.of("setosa", "versicolor", "virginica"), data.classes());
        assertEquals(List.of("blue", "green", "red"), data.vocabulary().categories().get("color"));
        assertEquals(Shape.of(4, 3), data.tensors().inputs().shape());
        assertArrayEquals(new float[] {1.5f, 2, 0.25f, 2, 0, -0.1f, 3, 1, 0.5f, 4, 2, 7}, data.tensors().inputs().toFloatArray());
        assertArrayEquals(new long[] {0, 2, 0, 1}, data.tensors().targets().toLongArray());
        assertEquals(DType.INT64, data.get(1).target().dtype());
        assertTrue(data.select(new int[] {3, 0}).isPresent(), "a CSV table batches by selection");
    }

    @Test
    void oneHotAndRegression() throws IOException {
        CsvConfig config = new CsvConfig("width", CsvConfig.Task.REGRESSION, Set.of("color", "species"),
                CsvConfig.Encoding.ONE_HOT, Set.of("name"), ',');
        CsvDataset data = CsvDataset.read(flowers(), config);
        assertEquals(List.of("length", "color=blue", "color=green", "color=red", "species=setosa", "species=versicolor",
                "species=virginica"), data.featureNames());
        assertArrayEquals(new float[] {2, 1, 0, 0, 0, 0, 1}, data.get(1).input().toFloatArray());
        assertArrayEquals(new float[] {0.25f, -0.1f, 0.5f, 7}, data.tensors().targets().toFloatArray());
        assertEquals(DType.FLOAT32, data.tensors().targets().dtype());
        assertEquals(List.of(), data.classes());
    }

    @Test
    void numericClassLabelsSortAsNumbers() throws IOException {
        Path p = csv("digits.csv", "x;label", "1;10", "2;2", "3;0", "4;2");
        CsvConfig config = new CsvConfig("label", CsvConfig.Task.CLASSIFICATION, Set.of(), CsvConfig.Encoding.INDEX, Set.of(), ';');
        CsvDataset data = CsvDataset.read(p, config);
        assertEquals(List.of("0", "2", "10"), data.classes());
        assertArrayEquals(new long[] {2, 1, 0, 1}, data.tensors().targets().toLongArray());
    }

    @Test
    void aSecondFileReusesTheVocabularyAndRefusesUnknownValues() throws IOException {
        CsvDataset train = CsvDataset.read(flowers(), SPECIES);
        Path test = csv("test.csv", "name,length,color,width,species", "x,1,green,1,virginica", "y,1,red,1,setosa");
        CsvDataset ok = CsvDataset.read(test, SPECIES, train.vocabulary());
        assertArrayEquals(new long[] {2, 0}, ok.tensors().targets().toLongArray());
        assertEquals(1, ok.get(0).input().get(1), "green keeps its index from the training file");
        Path unknownClass = csv("u1.csv", "name,length,color,width,species", "x,1,green,1,virginica", "y,1,red,1,rose");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvDataset.read(unknownClass, SPECIES, train.vocabulary()));
        assertEquals(3, e.line());
        assertEquals(5, e.column());
        assertTrue(e.getMessage().startsWith(unknownClass + ", line 3, column 5: unknown class of target column 'species': 'rose'"),
                e.getMessage());
        Path unknownColor = csv("u2.csv", "name,length,color,width,species", "x,1,purple,1,virginica");
        e = assertThrows(DataFormatException.class, () -> CsvDataset.read(unknownColor, SPECIES, train.vocabulary()));
        assertTrue(e.getMessage().contains("line 2, column 3: unknown category of column 'color': 'purple'"), e.getMessage());
    }

    @Test
    void raggedRowsNameTheirLine() throws IOException {
        Path p = csv("ragged.csv", "name,length,color,width,species", "a,1,red,2,setosa", "b,1,red,setosa");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvDataset.read(p, SPECIES));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("line 3: has 4 fields, but the header has 5 columns"), e.getMessage());
    }

    @Test
    void nonNumericAndMissingValuesNameLineAndColumn() throws IOException {
        for (String bad : new String[] {"abc", "1f", "0x10", "NaN", "Infinity", "1,5", "1e"}) {
            Path p = csv("bad.csv", "name,length,color,width,species", "a,1,red,2,setosa", "b,\"" + bad + "\",red,2,setosa");
            DataFormatException e = assertThrows(DataFormatException.class, () -> CsvDataset.read(p, SPECIES), bad);
            assertEquals(3, e.line(), bad);
            assertEquals(2, e.column(), bad);
            assertTrue(e.getMessage().contains("'" + bad + "' is not a number (numeric column 'length'"), e.getMessage());
            assertEquals(p.toString(), e.source());
        }
        Path missing = csv("missing.csv", "name,length,color,width,species", "a,1,red,,setosa");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvDataset.read(missing, SPECIES));
        assertTrue(e.getMessage().endsWith("line 2, column 4: missing value in column 'width'"), e.getMessage());
        Path noClass = csv("noclass.csv", "name,length,color,width,species", "a,1,red,1,");
        e = assertThrows(DataFormatException.class, () -> CsvDataset.read(noClass, SPECIES));
        assertEquals(5, e.column());
        Path huge = csv("huge.csv", "name,length,color,width,species", "a,1e39,red,1,setosa");
        e = assertThrows(DataFormatException.class, () -> CsvDataset.read(huge, SPECIES));
        assertTrue(e.getMessage().contains("overflows float32"), e.getMessage());
    }

    @Test
    void headerAndQuotingErrors() throws IOException {
        Path noTarget = csv("nt.csv", "name,length,color,width,kind", "a,1,red,1,setosa");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvDataset.read(noTarget, SPECIES));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("target column 'species' is not in the header"), e.getMessage());
        Path dup = csv("dup.csv", "name,length,color,length,species", "a,1,red,1,setosa");
        e = assertThrows(DataFormatException.class, () -> CsvDataset.read(dup, SPECIES));
        assertTrue(e.getMessage().contains("line 1, column 4: duplicate column name 'length'"), e.getMessage());
        Path quote = csv("quote.csv", "name,length,color,width,species", "\"a,1,red,1,setosa");
        e = assertThrows(DataFormatException.class, () -> CsvDataset.read(quote, SPECIES));
        assertTrue(e.getMessage().contains("line 2, column 1: unterminated quoted field"), e.getMessage());
        Path after = csv("after.csv", "name,length,color,width,species", "\"a\"x,1,red,1,setosa");
        e = assertThrows(DataFormatException.class, () -> CsvDataset.read(after, SPECIES));
        assertTrue(e.getMessage().contains("unexpected 'x' after a closing quote"), e.getMessage());
        Path empty = csv("empty.csv", "");
        assertThrows(DataFormatException.class, () -> CsvDataset.read(empty, SPECIES));
        Path headerOnly = csv("header.csv", "name,length,color,width,species");
        e = assertThrows(DataFormatException.class, () -> CsvDataset.read(headerOnly, SPECIES));
        assertTrue(e.getMessage().contains("no data rows"), e.getMessage());
        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, "name,length,color,width,species\nJos\u00e9,1,red,1,setosa\n".getBytes(StandardCharsets.ISO_8859_1));
        e = assertThrows(DataFormatException.class, () -> CsvDataset.read(latin1, SPECIES));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new CsvConfig("species", CsvConfig.Task.CLASSIFICATION, Set.of("species"), CsvConfig.Encoding.INDEX));
    }
}
