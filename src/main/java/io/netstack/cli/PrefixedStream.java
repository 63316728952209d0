package io.netstack.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Prefixes each line with {@code [stack] }: stacks of one command apply side by side, and their
 * progress lines interleave. A line is written whole, under the target's lock.
 */
final class PrefixedStream extends PrintStream {
    PrefixedStream(PrintStream target, String prefix) {
        super(new LineBuffer(target, prefix), true, StandardCharsets.UTF_8);
    }

    private static final class LineBuffer extends OutputStream {
        private final PrintStream target;
        private final String prefix;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineBuffer(PrintStream target, String prefix) {
            this.target = target;
            this.prefix = prefix;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                synchronized (target) {
                    target.println(prefix + text);
                }
            } else {
                line.write(b);
            }
        }
    }
}
