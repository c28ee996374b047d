package fathom.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {
    /** A command with one option of every kind. */
    static final class Fields {
        int epochs;
        double lr;
        Integer threads;
        int[] hidden;
        Path run;
        boolean resume;
        String what;
        String image;
        Integer index;

        Options options(boolean exclusive) {
            Options o = new Options("test", "A test command.");
            o.option("--epochs", "5", "Epochs", Options.INT, v -> epochs = v);
            o.option("--lr", "0.05", "Learning rate", Options.NUMBER, v -> lr = v);
            o.option("--threads", null, "Threads (default: all cores).", Options.INT, v -> threads = v);
            o.option("--hidden", "512,256", "Hidden widths", Options.INTS, v -> hidden = v);
            o.option("--run", null, "A run", Options.PATH, v -> run = v);
            o.flag("--resume", "Resume.", () -> resume = true);
            o.parameter("what", "all", "What to run", Options.TEXT, v -> what = v);
            if (exclusive) {
                o.option("--image", null, "An image.", Options.TEXT, v -> image = v);
                o.option("--index", null, "An index.", Options.INT, v -> index = v);
                o.exactlyOne("--image", "--index");
            }
            return o;
        }
    }

    private static Fields parse(String... args) {
        Fields f = new Fields();
        f.options(false).parse(args);
        return f;
    }

    private static String error(String... args) {
        return assertThrows(UsageException.class, () -> parse(args)).getMessage();
    }

    @Test
    void defaultsAreSetAndGivenValuesReplaceThem() {
        Fields f = parse();
        assertEquals(5, f.epochs);
        assertEquals(0.05, f.lr);
        assertNull(f.threads);
        assertArrayEquals(new int[] {512, 256}, f.hidden);
        assertFalse(f.resume);
        assertEquals("all", f.what);

        f = parse("mlp", "--epochs", "2", "--lr=0.1", "--hidden", "16, 8", "--resume", "--run", "runs/x", "--threads", "1");
        assertEquals(2, f.epochs);
        assertEquals(0.1, f.lr);
        assertEquals(1, f.threads);
        assertArrayEquals(new int[] {16, 8}, f.hidden);
        assertTrue(f.resume);
        assertEquals(Path.of("runs/x"), f.run);
        assertEquals("mlp", f.what);
    }

    @Test
    void givenListsTheOptionsTheCommandLineSet() {
        Fields f = new Fields();
        Options o = f.options(false);
        o.parse(new String[] {"--lr", "0.1", "--resume"});
        assertEquals(List.of("--lr", "--resume"), List.copyOf(o.given()));
    }

    @Test
    void aNegativeNumberIsAValue() {
        Fields f = parse("--lr", "-0.5", "--epochs", "-1");
        assertEquals(-0.5, f.lr);
        assertEquals(-1, f.epochs);
    }

    @Test
    void badCommandLinesNameTheirProblem() {
        assertEquals("Unrecognized option: --epoch", error("--epoch", "3"), "no prefix matching: --epoch is not --epochs");
        assertEquals("Unrecognized option: --nope", error("--nope"));
        assertEquals("invalid value for --epochs (int): 'x'", error("--epochs", "x"));
        assertEquals("invalid value for --hidden (comma-separated list of ints): '16,a'", error("--hidden", "16,a"));
        assertEquals("Missing argument for option: epochs", error("--epochs"));
        assertEquals("option '--epochs' is given twice", error("--epochs", "1", "--epochs", "2"));
        assertEquals("Unrecognized option: --resume=yes", error("--resume=yes"));
        assertEquals("unexpected argument 'b'", error("a", "b"));
    }

    @Test
    void requiredOptionsAndParametersMustBeGiven() {
        Options o = new Options("test", "A test command.");
        String[] run = new String[1];
        o.required("--run", "A run.", Options.TEXT, v -> run[0] = v);
        o.parameter("example", null, "The example.", Options.TEXT, v -> { });
        assertEquals("missing parameter <example>", assertThrows(UsageException.class, () -> o.parse(new String[] {"--run", "x"})).getMessage());
        Options o2 = new Options("test", "A test command.");
        o2.required("--run", "A run.", Options.TEXT, v -> run[0] = v);
        assertEquals("missing required option '--run'", assertThrows(UsageException.class, () -> o2.parse(new String[0])).getMessage());
    }

    @Test
    void exactlyOneOfAnExclusivePair() {
        Fields f = new Fields();
        f.options(true).parse(new String[] {"--index", "3"});
        assertEquals(3, f.index);
        assertEquals("give one of --image, --index",
                assertThrows(UsageException.class, () -> new Fields().options(true).parse(new String[0])).getMessage());
        assertEquals("give only one of --image, --index",
                assertThrows(UsageException.class, () -> new Fields().options(true).parse(new String[] {"--image", "a.png", "--index", "1"})).getMessage());
    }

    @Test
    void helpShowsEveryOptionWithItsDefault() {
        String help = new Fields().options(true).usage();
        assertTrue(help.startsWith("usage: fathom test [options] [<what>]\nA test command.\n"), help);
        assertTrue(help.contains("--epochs <int>"), help);
        assertTrue(help.indexOf("--epochs") < help.indexOf("--lr") && help.indexOf("--lr") < help.indexOf("--threads"), "in declaration order: " + help);
        assertTrue(help.contains("Epochs (default: 5)"), help);
        assertTrue(help.contains("--hidden <int,...>"), help);
        assertTrue(help.contains("--resume "), help);
        assertTrue(help.contains("Threads (default: all cores)."), help);
        assertFalse(help.contains("(default: null)"), help);
        assertTrue(help.contains("<what>: What to run (default: all)"), help);
        assertTrue(Options.wantsHelp(new String[] {"--epochs", "2", "-h"}));
        assertFalse(Options.wantsHelp(new String[] {"--", "--help"}));
    }

    @Test
    void aCommandDeclaringAnOptionTwiceIsABug() {
        Options o = new Options("test", "A test command.");
        o.flag("--a", "A.", () -> { });
        assertThrows(IllegalStateException.class, () -> o.flag("--a", "A again.", () -> { }));
    }

    @Test
    void exitCodesAndMessagesOfTheCommandLine() {
        assertEquals(0, Main.run("--version"));
        assertEquals(2, Main.run("no-such-command"));
        assertEquals(2, Main.run("train", "--epochs", "x"));
        assertEquals(1, Main.run("train", "--data", "/no/such/data", "--output", "target/never-written"));
    }
}
