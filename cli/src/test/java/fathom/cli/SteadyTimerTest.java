package fathom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SteadyTimerTest {
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
