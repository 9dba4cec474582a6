package uk.wycps.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's log lines as they are written: logback's console appender writes to whatever
 * {@code System.out} is at the time of each line (logback.xml), so a tee on it sees every line
 * (at the configured level) while the test output keeps them too.
 */
public final class LogCapture implements AutoCloseable {

    private final PrintStream original;
    private final List<String> lines = new ArrayList<>();

    private LogCapture() {
        original = System.out;
        System.setOut(new PrintStream(new LineTee(), true, StandardCharsets.UTF_8));
    }

    /** Starts capturing until {@link #close}. */
    public static LogCapture start() {
        return new LogCapture();
    }

    /** How many lines have been captured so far (a mark for {@link #since}). */
    public synchronized int mark() {
        return lines.size();
    }

    /** The lines captured after {@code mark}. */
    public synchronized List<String> since(int mark) {
        return List.copyOf(lines.subList(mark, lines.size()));
    }

    @Override
    public void close() {
        System.setOut(original);
    }

    private synchronized void add(String line) {
        lines.add(line);
    }

    private final class LineTee extends OutputStream {
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            original.write(b);
            if (b == '\n') {
                add(current.toString(StandardCharsets.UTF_8));
                current.reset();
            } else {
                current.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public void flush() {
            original.flush();
        }
    }
}
