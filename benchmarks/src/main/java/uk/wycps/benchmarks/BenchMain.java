package uk.wycps.benchmarks;

import java.util.Arrays;
import uk.wycps.benchmarks.suite.Suite;

/**
 * The benchmarks jar's entry point: {@code suite [--quick]} runs the load suite
 * ({@code benchmarks/run.sh}); anything else goes to JMH ({@code org.openjdk.jmh.Main}), so
 * {@code java -jar benchmarks.jar PairScoring} and JMH's options work as before.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("suite")) {
            Suite.main(Arrays.copyOfRange(args, 1, args.length));
        } else {
            org.openjdk.jmh.Main.main(args);
        }
    }
}
