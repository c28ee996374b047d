package fathom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {
    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            assertEquals(0, new CommandLine(new Main()).execute(args));
        } finally {
            System.setOut(old);
        }
        return buf.toString();
    }

    @Test
    void theDemoLearnsTheSpirals() {
        String out = run("demo", "--epochs", "80", "--seed", "1");
        Matcher m = Pattern.compile("test accuracy ([0-9.]+)%").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Double.parseDouble(m.group(1)) > 90, "a 2-64-3 network separates three spirals: " + out);
        assertTrue(out.contains("80/80"), "the progress bar reaches the end: " + out);
        assertTrue(out.contains("GFLOP/s"), out);
    }

    @Test
    void anUnknownBenchmarkIsAnError() {
        PrintStream oldErr = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream()));
        try {
            assertEquals(2, new CommandLine(new Main()).execute("bench", "nonsense"));
        } finally {
            System.setErr(oldErr);
        }
    }
}
