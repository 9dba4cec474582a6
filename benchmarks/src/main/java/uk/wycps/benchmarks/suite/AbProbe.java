package uk.wycps.benchmarks.suite;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import uk.wycps.benchmarks.load.LoadGenerator;
import uk.wycps.benchmarks.load.LoadResult;

/**
 * An A/B comparison that a shared machine cannot spoil by timing (issue 21): two systems under
 * test, A and B, run side by side against the same registers, pinned to the same CPU, and are
 * measured in alternating 5 s rounds (A, B, B, A, A, B, ...), so that whatever else the machine is
 * doing falls on both alike, and neither is always the one measured second. Only one of the two is under load at a time; the other sits idle.
 *
 * <p>A and B differ by class path ({@code -Dab.cpA=JAR}, {@code -Dab.cpB=JAR}: two builds) and/or
 * by JVM flags ({@code -Dab.jvmArgsA="..."}, {@code -Dab.jvmArgsB="..."}: e.g. a system property
 * read by {@link SutMain}); both default to this jar and no flags. Each is warmed up first. Per
 * round: CPU per enquiry of the system under test, p50, p99, complete answers, 1-minute load
 * average; at the end the medians of the rounds, and B ÷ A. Written to standard output and to
 * {@code WORK/ab.md}.
 */
final class AbProbe {

    private final Suite suite;

    AbProbe(Suite suite) {
        this.suite = suite;
    }

    record Round(String system, Suite.Step step) {
    }

    void run(boolean national, String mode, double rate, int seconds) throws Exception {
        String here = System.getProperty("java.class.path");
        String cpA = System.getProperty("ab.cpA", here);
        String cpB = System.getProperty("ab.cpB", here);
        String argsA = System.getProperty("ab.jvmArgsA", "");
        String argsB = System.getProperty("ab.jvmArgsB", "");
        boolean gateway = mode.startsWith("gateway");
        List<Round> rounds = new ArrayList<>();
        String registersName = national ? "sim-registers" : "registers";
        List<String> regArgs = national ? List.of("sim", String.valueOf(suite.s.nationalCount()), "150") : List.of("mock", "5");
        try (ChildJvm registers = ChildJvm.start(registersName, suite.loadCpus, List.of("-Xmx1g"), RegistersMain.class,
                regArgs, suite.work.resolve(registersName + ".log"))) {
            Path regFile = suite.registersFile(national ? "national" : "five", new JsonObject(registers.ready));
            Path policy = national ? suite.nationalPolicy(SimRegisters.names(suite.s.nationalCount())) : null;
            try (ChildJvm a = suite.sut(mode, Suite.SUT_JVM, regFile, policy, cpA, argsA, "A-" + mode);
                    ChildJvm b = suite.sut(mode, Suite.SUT_JVM, regFile, policy, cpB, argsB, "B-" + mode)) {
                var requests = gateway ? (java.util.function.LongFunction<LoadGenerator.Request>) suite::authorised
                        : (java.util.function.LongFunction<LoadGenerator.Request>) suite::plain;
                var classifier = gateway ? (java.util.function.Function<io.vertx.core.buffer.Buffer, String>) Suite::completeOf
                        : (java.util.function.Function<io.vertx.core.buffer.Buffer, String>) Suite::rawCompleteOf;
                int warmRounds = Integer.getInteger("ab.warmRounds",
                        national ? Math.max(1, suite.s.warmupRounds() / 2) : suite.s.warmupRounds());
                double warmRate = national ? rate / 5 : Math.min(rate, suite.s.warmRateFanOut());
                suite.warm(a, warmRate, requests, warmRounds);
                suite.warm(b, warmRate, requests, warmRounds);
                // A B, then B A, and so on: whichever goes second in a pair (after the other's load,
                // with the machine's state it left) is A as often as B. An A/A control run (the same
                // build twice) with A always first read B 17 % cheaper: order or noise, a cut must beat it.
                for (int t = 0, pair = 0; t < seconds; t += 5, pair++) {
                    boolean aFirst = pair % 2 == 0;
                    for (String which : aFirst ? List.of("A", "B") : List.of("B", "A")) {
                        ChildJvm sut = which.equals("A") ? a : b;
                        rounds.add(new Round(which, suite.measure(which + " " + mode, sut, registers, rate, 5000, requests,
                                classifier)));
                    }
                }
            }
        }
        String table = table(mode, rate, national, cpA, cpB, argsA, argsB, rounds);
        System.out.println(table);
        Files.writeString(suite.work.resolve("ab.md"), table);
    }

    static String table(String mode, double rate, boolean national, String cpA, String cpB, String argsA, String argsB,
            List<Round> rounds) {
        StringBuilder out = new StringBuilder();
        out.append(f("A/B %s at %.0f/s, %s; A = %s %s; B = %s %s%n%n", mode, rate,
                national ? "150 simulated registers" : "five 5 ms registers", Path.of(cpA).getFileName(), argsA,
                Path.of(cpB).getFileName(), argsB));
        out.append("| round | system | CPU ms/enquiry | p50 ms | p99 ms | complete /s | incomplete | errors | load avg |\n");
        out.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        int i = 0;
        for (Round r : rounds) {
            LoadResult x = r.step().result();
            out.append(f("| %d | %s | %.3f | %.2f | %.2f | %.0f | %d | %d | %s |%n", i++ / 2 + 1, r.system(),
                    r.step().sutCpuMsPerOk(), x.ms(50), x.ms(99), x.goodput(), x.incomplete(), x.errors(), r.step().load()));
        }
        double[] a = medians(rounds, "A");
        double[] b = medians(rounds, "B");
        out.append(f("%nMedians of the rounds that had answers (the first of each dropped when there are more than three): "
                + "A %.3f ms/enquiry, p50 %.2f, p99 %.2f; B %.3f ms/enquiry, p50 %.2f, p99 %.2f; B ÷ A CPU %.3f, "
                + "p50 %.3f, p99 %.3f.%n", a[0], a[1], a[2], b[0], b[1], b[2], b[0] / a[0], b[1] / a[1], b[2] / a[2]));
        // Per pair (the A and B rounds of one number, a few seconds apart): B ÷ A, and how often B
        // was the cheaper. Less moved by the machine's load drifting over the run than the medians
        // above; an A/A control gave 1.01 and 6 of 12.
        List<Double> ratios = new ArrayList<>();
        int lower = 0;
        for (int k = 0; k + 1 < rounds.size(); k += 2) {
            Round x = rounds.get(k);
            Round y = rounds.get(k + 1);
            Suite.Step sa = x.system().equals("A") ? x.step() : y.step();
            Suite.Step sb = x.system().equals("A") ? y.step() : x.step();
            if (sa.result().ok() > 0 && sb.result().ok() > 0) {
                ratios.add(sb.sutCpuMsPerOk() / sa.sutCpuMsPerOk());
                lower += sb.sutCpuMsPerOk() < sa.sutCpuMsPerOk() ? 1 : 0;
            }
        }
        double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted.length == 0 ? Double.NaN : sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        out.append(f("Per pair of rounds: median B ÷ A CPU per enquiry %.3f; B cheaper in %d of %d pairs.%n", median, lower,
                sorted.length));
        return out.toString();
    }

    /** Median CPU ms/enquiry, p50 and p99 of one system's rounds. */
    static double[] medians(List<Round> rounds, String system) {
        // a round with no answer has no CPU per enquiry or latency: left out (counted in the table)
        List<Suite.Step> steps = rounds.stream().filter(r -> r.system().equals(system)).map(Round::step)
                .filter(s -> s.result().ok() > 0).toList();
        if (steps.size() > 3) {
            steps = steps.subList(1, steps.size());
        }
        return new double[] {median(steps, s -> s.sutCpuMsPerOk()), median(steps, s -> s.result().ms(50)),
                median(steps, s -> s.result().ms(99))};
    }

    private static double median(List<Suite.Step> steps, java.util.function.ToDoubleFunction<Suite.Step> f) {
        double[] v = steps.stream().mapToDouble(f).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

}
