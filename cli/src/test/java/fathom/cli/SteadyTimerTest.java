package fathom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SteadyTimerTest {
    @Test
    void aStepHasSettledWhenTwoWindowsAgreeAndTheJitIsQuiet() {
        assertTrue(SteadyTimer.settled(0.100, 0.102, 5, 1.0));
        assertFalse(SteadyTimer.settled(0.100, 0.110, 5, 1.0), "10% apart");
        assertFalse(SteadyTimer.settled(0.100, 0.101, 150, 1.0), "the JIT compiled for 15% of the window");
        assertTrue(SteadyTimer.settled(0.100, 0.101, 150, 10.0), "1.5% of a 10 s window");
    }

    @Test
    void streamPrintsOneLinePerStepUntilTheOutputIsClosed() {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        // a reader that goes away after three lines, as side_by_side.py's pipe does when it ends
        OutputStream closing = new OutputStream() {
            int lines;

            @Override
            public void write(int b) throws IOException {
                if (lines == 3) {
                    throw new IOException("closed");
                }
                written.write(b);
                if (b == '\n') {
                    lines++;
                }
            }
        };
        int[] steps = {0};
        PrintStream old = System.out;
        System.setOut(new PrintStream(closing, false, StandardCharsets.UTF_8));
        try {
            SteadyTimer.stream(() -> steps[0]++);
        } finally {
            System.setOut(old);
        }
        String out = written.toString(StandardCharsets.UTF_8);
        assertEquals(4, steps[0], "the step after the third line finds the output closed and ends the loop: " + out);
        assertEquals(3, out.lines().count(), out);
        assertTrue(out.lines().allMatch(l -> l.matches("step \\d+\\.\\d{3}")), out);
    }
}
