package uk.wycps.benchmarks.suite;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.LongFunction;
import uk.wycps.benchmarks.load.LoadGenerator;
import uk.wycps.benchmarks.load.LoadResult;
import uk.wycps.gateway.auth.DemoKeys;
import uk.wycps.mock.MockOptions;
import uk.wycps.mock.SyntheticPopulation;
import uk.wycps.record.ChildRecord;

/**
 * The whole load suite in one command: baselines, the gateway, the scenarios of issue 9 and the
 * audit figures; writes its section of {@code docs/performance.md}. See {@code benchmarks/run.sh}.
 *
 * <p>Processes: this JVM is the load generator (and the audit benchmark); the registers run in
 * a second JVM and the system under test (no-op server, raw fan-out proxy or gateway) in a
 * third, with {@code -Xmx512m}. With two or more CPUs, the system under test is pinned to the
 * last CPU and the registers to CPU 0 ({@code taskset}); {@code run.sh} pins this JVM to CPU 0.
 */
public final class Suite {

    final Settings s;
    final Path work;
    final Path doc;
    final Report report = new Report();
    final Vertx vertx = Vertx.vertx();
    /**
     * Fifty practitioners' tokens ({@code -Dsuite.tokens=N}), used in turn (the gateway remembers
     * a verified token until it expires).
     */
    final List<String> tokens = new ArrayList<>();
    final List<Buffer> bodies = new ArrayList<>();
    final String sutCpus;
    final String loadCpus;

    /** Durations and rates; {@code --quick} divides the durations to check the harness. */
    record Settings(int warmupRounds, long warmupMs, long stepMs, long drainMs, double stepFactor, int maxSteps, long steadyMs,
            long hungMs, double hungRate, int hungDeadlineMs, long nationalMs, int nationalCount, double nationalRate,
            int auditEntries, double warmRateNoop, double warmRateFanOut) {
        static Settings full() {
            return new Settings(10, 5000, 4000, 3000, 1.5, 12, 12_000, 15_000, 40, 500, 15_000, 150, 100, 100_000, 2000, 400);
        }

        static Settings quick() {
            return new Settings(2, 1500, 1500, 3000, 2.0, 6, 2000, 3000, 40, 500, 3000, 150, 100, 10_000, 500, 100);
        }
    }

    Suite(Settings s, Path work, Path doc) throws Exception {
        this.s = s;
        this.work = work;
        this.doc = doc;
        // the machine's CPUs, not this JVM's: run.sh pins this JVM to CPU 0
        int machineCpus = Integer.parseInt(exec("nproc", "--all").trim());
        boolean pin = machineCpus >= 2 && Files.isExecutable(Path.of("/usr/bin/taskset")) && !Boolean.getBoolean("nopin");
        sutCpus = pin ? String.valueOf(machineCpus - 1) : null;
        loadCpus = pin ? "0" : null;
        for (int i = 0; i < Integer.getInteger("suite.tokens", 50); i++) {
            tokens.add(DemoKeys.mint(vertx, "bench-worker-" + i, SutMain.CALLER_ROLE, SutMain.CALLER_AGENCY,
                    SutMain.CALLER_AUTHORITY, SutMain.CALLER_GRANTS, 3600));
        }
        SyntheticPopulation population = SyntheticPopulation.generate(MockOptions.DEFAULT_SEED,
                MockOptions.DEFAULT_CHILDREN);
        Random random = new Random(9);
        for (int i = 0; i < 1000; i++) {
            String authority = population.authorities().get(random.nextInt(population.authorities().size()));
            ChildRecord r = population.record(authority, random.nextInt(population.childrenPerRegister()));
            JsonObject subject = new JsonObject().put("familyName", r.familyName());
            if (r.givenName() != null) {
                subject.put("givenName", r.givenName());
            }
            if (r.dateOfBirth() != null) {
                subject.put("dateOfBirth", r.dateOfBirth().toString());
            }
            bodies.add(new JsonObject().put("subject", subject)
                    .put("purpose", new JsonObject().put("code", SutMain.PURPOSE).put("justification", "Benchmark enquiry"))
                    .put("consent", new JsonObject().put("status", SutMain.CONSENT_STATUS)
                            .put("ground", SutMain.CONSENT_GROUND))
                    .toBuffer());
        }
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.full();
        Path doc = Path.of("docs/performance.md");
        Path work = Path.of("benchmarks/target/suite");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> settings = Settings.quick();
                case "--doc" -> doc = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "--probe-national" -> {
                    // --probe-national MODE RATE SECONDS: one system under test, 150 simulated registers, 5 s rounds
                    deleteTree(work);
                    Files.createDirectories(work);
                    new Suite(settings, work, doc).probeNational(args[i + 1], Double.parseDouble(args[i + 2]),
                            Integer.parseInt(args[i + 3]));
                    System.exit(0);
                }
                case "--probe-admission" -> {
                    // --probe-admission RATE SECONDS: a caller at ten times its rate beside calm callers,
                    // then RATE (give twice the saturation; 0: none) from callers each under their own rate
                    deleteTree(work);
                    Files.createDirectories(work);
                    new AdmissionProbe(new Suite(settings, work, doc)).run(Double.parseDouble(args[i + 1]),
                            Integer.parseInt(args[i + 2]));
                    System.exit(0);
                }
                case "--probe-ab", "--probe-ab-national" -> {
                    // --probe-ab[-national] MODE RATE SECONDS: two systems under test, A and B (their class paths
                    // -Dab.cpA / -Dab.cpB, their extra JVM flags -Dab.jvmArgsA / -Dab.jvmArgsB), the same registers,
                    // alternating 5 s rounds
                    deleteTree(work);
                    Files.createDirectories(work);
                    new AbProbe(new Suite(settings, work, doc)).run(args[i].endsWith("national"), args[i + 1],
                            Double.parseDouble(args[i + 2]), Integer.parseInt(args[i + 3]));
                    System.exit(0);
                }
                case "--probe" -> {
                    // --probe MODE RATE SECONDS: one system under test, five 5 ms registers, 5 s rounds
                    deleteTree(work);
                    Files.createDirectories(work);
                    new Suite(settings, work, doc).probe(args[i + 1], Double.parseDouble(args[i + 2]),
                            Integer.parseInt(args[i + 3]));
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        deleteTree(work);
        Files.createDirectories(work);
        Suite suite = new Suite(settings, work, doc);
        int code = 0;
        try {
            suite.run();
        } catch (Exception e) {
            e.printStackTrace();
            suite.report.note("The suite stopped early: " + e);
            code = 1;
        } finally {
            suite.report.finish();
            suite.report.write(doc);
            System.out.println("wrote " + doc.toAbsolutePath());
            suite.vertx.close();
        }
        System.exit(code);
    }

    // ---- the scenarios ------------------------------------------------------------------------

    void run() throws Exception {
        long t0 = System.nanoTime();
        report.machine(this);
        List<String> sutJvm = SUT_JVM;
        List<String> regJvm = List.of("-Xmx1g");
        // Five registers answering in a fixed 5 ms.
        Map<String, Series> saturation = new LinkedHashMap<>();
        try (ChildJvm registers = ChildJvm.start("registers", loadCpus, regJvm, RegistersMain.class,
                List.of("mock", "5"), work.resolve("registers.log"))) {
            Path regFile = registersFile("five", new JsonObject(registers.ready));
            report.note("Five mock registers (canonical-json, 500 synthetic children each, default seed), fixed 5 ms answer delay.");
            // One system under test at a time; the registers' answers are the same for each
            // (their enquiry history is frozen: see RegistersMain).
            ChildJvm noop = sut("noop", sutJvm, regFile, null);
            saturation.put("noop", stepLoad("no-op server", noop, registers, 4000, s.warmRateNoop, this::plain, null));
            noop.close();
            // The gateway first: half of its saturation is the rate at which the raw proxy and the
            // gateway are then compared, each already warm from its own step load (a freshly
            // started JVM is still compiling). The gateway stays up, idle, while the raw proxy runs.
            ChildJvm mem = sut("gateway-mem", sutJvm, regFile, null);
            saturation.put("gateway-mem", stepLoad("gateway (in-memory audit)", mem, registers, 50, s.warmRateFanOut,
                    this::authorised, Suite::completeOf));
            double half = Math.max(10, Math.floor(saturation.get("gateway-mem").best().result().goodput() / 2));
            ChildJvm raw = sut("raw", sutJvm, regFile, null);
            saturation.put("raw", stepLoad("raw fan-out proxy", raw, registers, 250, s.warmRateFanOut, this::plain,
                    Suite::rawCompleteOf));
            Step rawHalf = measure("raw fan-out proxy @ half", raw, registers, half, s.steadyMs, this::plain, Suite::rawCompleteOf);
            // One register hung, the raw proxy first (it honours X-Deadline-Ms as the gateway does).
            JsonObject bases = new JsonObject(registers.ready);
            String hung = "leeds";
            LongFunction<LoadGenerator.Request> rawHungRequests = i -> {
                LoadGenerator.Request r = plain(i);
                r.headers().set("X-Deadline-Ms", String.valueOf(s.hungDeadlineMs));
                return r;
            };
            admin(bases.getString(hung), new JsonObject().put("mode", "hang"));
            Step rawHung = measure("raw fan-out, " + hung + " hung", raw, registers, s.hungRate, s.hungMs, rawHungRequests,
                    Suite::rawCompleteOf);
            admin(bases.getString(hung), new JsonObject().put("latencyMs", 5));
            raw.close();
            Step memHalf = measure("gateway (in-memory audit) @ half", mem, registers, half, s.steadyMs,
                    this::authorised, Suite::completeOf);
            report.half(half, rawHalf, memHalf);
            progress(t0, "half saturation done");

            LongFunction<LoadGenerator.Request> hungRequests = i -> {
                LoadGenerator.Request r = authorised(i);
                r.headers().set("X-Deadline-Ms", String.valueOf(s.hungDeadlineMs));
                return r;
            };
            admin(bases.getString(hung), new JsonObject().put("mode", "hang"));
            Step hungStep = measure("gateway, " + hung + " hung", mem, registers, s.hungRate, s.hungMs, hungRequests,
                    b -> statusOf(b, hung));
            admin(bases.getString(hung), new JsonObject().put("latencyMs", 5));
            report.hung(hung, s.hungDeadlineMs, s.hungRate, rawHung, hungStep);
            report.heap("gateway (in-memory audit), five registers", mem.stats());
            mem.close();
            progress(t0, "hung done");
            ChildJvm file = sut("gateway-file", sutJvm, regFile, null);
            saturation.put("gateway-file", stepLoad("gateway (file audit)", file, registers, 50, s.warmRateFanOut,
                    this::authorised, Suite::completeOf));
            file.close();
            report.saturation(saturation);
            progress(t0, "saturation done");
        }

        // National scale: 150 simulated registers.
        nationalScale();
        progress(t0, "national done");

        // Audit verification.
        auditVerification();
        progress(t0, "audit verification done");
        report.note(String.format("Suite wall time: %.0f s.", (System.nanoTime() - t0) / 1e9));
    }

    /** One system under test at a fixed rate in 5 s rounds: to see warm-up and steady state by hand. */
    void probe(String mode, double rate, int seconds) throws Exception {
        List<String> sutJvm = SUT_JVM;
        try (ChildJvm registers = ChildJvm.start("registers", loadCpus, List.of("-Xmx1g"), RegistersMain.class,
                List.of("mock", "5"), work.resolve("registers.log"))) {
            Path regFile = registersFile("five", new JsonObject(registers.ready));
            try (ChildJvm sut = sut(mode, sutJvm, regFile, null)) {
                boolean gateway = mode.startsWith("gateway");
                for (int t = 0; t < seconds; t += 5) {
                    measure(mode + " probe", sut, registers, rate, 5000, gateway ? this::authorised : this::plain,
                            gateway ? Suite::completeOf : null);
                }
            }
        }
    }

    void probeNational(String mode, double rate, int seconds) throws Exception {
        // -Dsuite.nationalCount=5: the same simulated registers, five of them (nearly every answer
        // empty): what the gateway costs beyond the raw proxy when there is almost nothing to read
        int n = Integer.getInteger("suite.nationalCount", s.nationalCount);
        try (ChildJvm registers = ChildJvm.start("sim-registers", loadCpus, List.of("-Xmx1g"), RegistersMain.class,
                List.of("sim", String.valueOf(n), "150"), work.resolve("sim-registers.log"))) {
            Path regFile = registersFile("national", new JsonObject(registers.ready));
            Path policy = nationalPolicy(SimRegisters.names(n));
            boolean gateway = mode.startsWith("gateway");
            try (ChildJvm sut = sut(mode, SUT_JVM, regFile, policy)) {
                long refused = 0;
                long answered = 0;
                long late = 0;
                for (int t = 0; t < seconds; t += 5) {
                    Step step = measure(mode + " probe", sut, registers, rate, 5000, gateway ? this::authorised : this::plain,
                            gateway ? Suite::completeOf : Suite::rawCompleteOf);
                    LoadResult r = step.result();
                    long refusedNow = r.classes().entrySet().stream().filter(e -> e.getKey().contains("HTTP 429")
                            || e.getKey().contains("HTTP 503")).mapToLong(Map.Entry::getValue).sum();
                    refused += refusedNow;
                    answered += r.ok();
                    late += r.incomplete();
                    // issue 21: an overloaded gateway must refuse (429/503), not answer late or incomplete
                    System.out.printf("  national round: answered %d (complete %d, incomplete %d), refused %d, "
                            + "unanswered or other errors %d, p99 of answered %.1f ms, load %s%n", r.ok(),
                            r.ok() - r.incomplete(), r.incomplete(), refusedNow, r.errors() - refusedNow, r.ms(99), step.load());
                }
                System.out.printf("national probe %s at %.0f/s: answered %d, of them incomplete %d; refused %d%n", mode, rate,
                        answered, late, refused);
            }
        }
    }

    void nationalScale() throws Exception {
        int n = s.nationalCount;
        try (ChildJvm registers = ChildJvm.start("sim-registers", loadCpus, List.of("-Xmx1g"), RegistersMain.class,
                List.of("sim", String.valueOf(n), "150"), work.resolve("sim-registers.log"))) {
            Path regFile = registersFile("national", new JsonObject(registers.ready));
            Path policy = nationalPolicy(SimRegisters.names(n));
            List<String> sutJvm = SUT_JVM;
            // each system at a fifth of the rate first (where a loaded 2-core machine is not the limit), then at the rate
            double low = s.nationalRate / 5;
            // the raw proxy derives its fields from the same policy as the gateway
            ChildJvm raw = sut("raw", sutJvm, regFile, policy);
            // half the warm-up of the five-register runs: each enquiry here is 150 exchanges
            warm(raw, low, this::plain, Math.max(1, s.warmupRounds / 2));
            registers.command("sim-reset");
            Step rawLow = measure("raw fan-out, " + n + " registers, low rate", raw, registers, low, s.nationalMs,
                    this::plain, Suite::rawCompleteOf);
            JsonObject rawLowSim = registers.command("stats");
            registers.command("sim-reset");
            Step rawStep = measure("raw fan-out, " + n + " registers", raw, registers, s.nationalRate, s.nationalMs,
                    this::plain, Suite::rawCompleteOf);
            JsonObject rawSim = registers.command("stats");
            raw.close();
            ChildJvm gw = sut("gateway-mem", sutJvm, regFile, policy);
            warm(gw, low, this::authorised, Math.max(1, s.warmupRounds / 2));
            registers.command("sim-reset");
            Step gwLow = measure("gateway, " + n + " registers, low rate", gw, registers, low, s.nationalMs,
                    this::authorised, Suite::completeOf);
            JsonObject gwLowSim = registers.command("stats");
            registers.command("sim-reset");
            Step gwStep = measure("gateway, " + n + " registers", gw, registers, s.nationalRate, s.nationalMs,
                    this::authorised, Suite::completeOf);
            JsonObject gwSim = registers.command("stats");
            report.national(n, s.nationalRate, rawStep, rawSim, gwStep, gwSim);
            report.national(n, low, rawLow, rawLowSim, gwLow, gwLowSim);
            report.heap("gateway (in-memory audit), " + n + " registers", gw.stats());
            gw.close();
        }
    }

    void auditVerification() throws Exception {
        Path dir = work.resolve("audit-verify");
        AuditBench.Result r = AuditBench.run(vertx, dir, s.auditEntries);
        report.auditVerify(r);
    }

    // ---- load ---------------------------------------------------------------------------------

    /** One measured run and what the JVMs spent on it. */
    record Step(LoadResult result, double sutCpuMsPerOk, double sutCpuUtil, double loadSideCpuUtil, String load) {
        double throughput() {
            return result.throughput();
        }
    }

    /** Steps of a load series and the best throughput seen. */
    record Series(String label, List<Step> steps, Step best, Step sustained) {
    }

    /**
     * A step the system kept up with: complete answers ≥ 0.9 × offered, errors and incomplete
     * answers (a register not checked) each ≤ 1 %, p99 ≤ 1 s.
     */
    static boolean keptUp(LoadResult r, double rate) {
        return r.goodput() >= 0.9 * rate && r.errorRate() <= 0.01 && r.incomplete() <= 0.01 * r.sent()
                && r.ms(99) <= 1000;
    }

    final Map<String, Series> series = new LinkedHashMap<>();

    /**
     * Every system under test (no-op, raw fan-out, gateway) runs with the same heap and collector;
     * {@code -Dsut.gc=Serial} (or Parallel, Z, Shenandoah) swaps the collector for all of them alike.
     */
    static final List<String> SUT_JVM = List.of("-Xmx512m", "-Xms512m",
            "-XX:+Use" + System.getProperty("sut.gc", "G1") + "GC", "-XX:+AlwaysPreTouch");

    ChildJvm sut(String mode, List<String> jvmArgs, Path registers, Path policy) throws Exception {
        return sut(mode, jvmArgs, registers, policy, System.getProperty("java.class.path"),
                System.getProperty("sut.jvmArgs", ""), mode);
    }

    /** A system under test from {@code classPath}, with {@code extraJvmArgs} (space-separated) added. */
    ChildJvm sut(String mode, List<String> jvmArgs, Path registers, Path policy, String classPath, String extraJvmArgs,
            String name) throws Exception {
        String extra = extraJvmArgs == null ? "" : extraJvmArgs.trim();
        if (!extra.isEmpty()) {
            jvmArgs = new ArrayList<>(jvmArgs);
            jvmArgs.addAll(List.of(extra.split("\\s+")));
        }
        List<String> args = new ArrayList<>(List.of(mode, registers.toString(), work.resolve(name + "-" + System.nanoTime()).toString()));
        if (policy != null) {
            args.add(policy.toString());
        }
        ChildJvm jvm = ChildJvm.start(name, sutCpus, jvmArgs, classPath, SutMain.class, args, work.resolve(name + ".log"));
        report.command(mode, jvm);
        return jvm;
    }

    Series stepLoad(String label, ChildJvm sut, ChildJvm registers, double startRate, double warmRate,
            LongFunction<LoadGenerator.Request> requests, Function<Buffer, String> classifier) throws Exception {
        warm(sut, warmRate, requests);
        List<Step> steps = new ArrayList<>();
        Step best = null;
        Step sustained = null;
        boolean retried = false;
        double rate = startRate;
        for (int i = 0; i < s.maxSteps; i++) {
            Step step = measure(label + " step", sut, registers, rate, s.stepMs, requests, classifier);
            steps.add(step);
            if (best == null || step.result().goodput() > best.result().goodput()) {
                best = step;
            }
            if (!keptUp(step.result(), rate)) {
                if (retried) {
                    break;
                }
                // one retry at the same rate: on a shared machine one step can fall to a neighbour's burst
                retried = true;
                i--;
                continue;
            }
            retried = false;
            sustained = step;
            rate = Math.round(rate * s.stepFactor);
        }
        // Between the last rate kept up with and the first that was not, two finer steps: with a
        // factor of 1.5 alone, saturation is known only to within a third.
        if (sustained != null) {
            double kept = sustained.result().offeredRate();
            for (double f : new double[] {Math.pow(s.stepFactor, 1.0 / 3), Math.pow(s.stepFactor, 2.0 / 3)}) {
                Step step = measure(label + " fine step", sut, registers, Math.round(kept * f), s.stepMs, requests, classifier);
                steps.add(step);
                if (step.result().goodput() > best.result().goodput()) {
                    best = step;
                }
                if (!keptUp(step.result(), Math.round(kept * f))) {
                    break;
                }
                sustained = step;
            }
        }
        Thread.sleep(1000);
        Series out = new Series(label, steps, best, sustained);
        series.put(label, out);
        report.series(out);
        return out;
    }

    void warm(ChildJvm sut, double rate, LongFunction<LoadGenerator.Request> requests) throws Exception {
        warm(sut, rate, requests, s.warmupRounds);
    }

    void warm(ChildJvm sut, double rate, LongFunction<LoadGenerator.Request> requests, int rounds) throws Exception {
        LoadGenerator gen = new LoadGenerator(vertx, "127.0.0.1", Integer.parseInt(sut.ready), 512);
        for (int i = 0; i < rounds; i++) {
            LoadResult r = gen.run(rate, s.warmupMs, requests, null, s.drainMs).toCompletionStage()
                    .toCompletableFuture().get();
            System.out.println("  warm-up " + sut.name + ": " + r.summary());
        }
        gen.close();
    }

    Step measure(String label, ChildJvm sut, ChildJvm registers, double rate, long durationMs,
            LongFunction<LoadGenerator.Request> requests, Function<Buffer, String> classifier) throws Exception {
        LoadGenerator gen = new LoadGenerator(vertx, "127.0.0.1", Integer.parseInt(sut.ready), 512);
        JsonObject sut0 = sut.stats();
        JsonObject reg0 = registers.stats();
        long self0 = JvmStats.cpuNanos();
        long wall0 = System.nanoTime();
        LoadResult r = gen.run(rate, durationMs, requests, classifier, s.drainMs).toCompletionStage()
                .toCompletableFuture().get();
        long wall = System.nanoTime() - wall0;
        long self = JvmStats.cpuNanos() - self0;
        JsonObject sut1 = sut.stats();
        JsonObject reg1 = registers.stats();
        gen.close();
        double sutCpu = sut1.getLong("cpuNanos") - sut0.getLong("cpuNanos");
        double regCpu = reg1.getLong("cpuNanos") - reg0.getLong("cpuNanos");
        Step step = new Step(r, r.ok() == 0 ? Double.NaN : sutCpu / 1e6 / r.ok(), sutCpu / wall,
                (regCpu + self) / wall, Report.loadavg1());
        System.out.printf("%s: %s; SUT CPU %.3f ms/enquiry, SUT CPU %.0f%%, load side CPU %.0f%%%n", label,
                r.summary(), step.sutCpuMsPerOk(), 100 * step.sutCpuUtil(), 100 * step.loadSideCpuUtil());
        return step;
    }

    LoadGenerator.Request plain(long i) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("Content-Type", "application/json");
        return new LoadGenerator.Request(HttpMethod.POST, "/api/v1/enquiries", headers,
                bodies.get((int) (i % bodies.size())));
    }

    LoadGenerator.Request authorised(long i) {
        LoadGenerator.Request r = plain(i);
        r.headers().set("Authorization", "Bearer " + tokens.get((int) (i % tokens.size())));
        return r;
    }

    /** The answer's head: the gateway writes enquiryId, complete and outcome first. */
    static String completeOf(Buffer body) {
        String head = body.getString(0, Math.min(body.length(), 160));
        boolean complete = head.contains("\"complete\":true");
        int o = head.indexOf("\"outcome\":\"");
        String outcome = o < 0 ? "?" : head.substring(o + 11, Math.max(o + 11, head.indexOf('"', o + 11)));
        return (complete ? "complete " : "incomplete ") + outcome;
    }

    /** The raw proxy's answer head: how many registers failed. */
    static String rawCompleteOf(Buffer body) {
        return body.getString(0, Math.min(body.length(), 16)).startsWith("{\"failed\":0,") ? "complete" : "incomplete";
    }

    static String statusOf(Buffer body, String authority) {
        JsonArray registers = body.toJsonObject().getJsonArray("registers");
        for (int i = 0; i < registers.size(); i++) {
            JsonObject r = registers.getJsonObject(i);
            if (authority.equals(r.getString("authority"))) {
                return authority + " " + r.getString("status");
            }
        }
        return authority + " absent";
    }

    // ---- set-up -------------------------------------------------------------------------------

    Path registersFile(String name, JsonObject bases) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String authority : bases.fieldNames()) {
            sb.append(authority).append(' ').append(bases.getString(authority)).append('\n');
        }
        Path file = work.resolve("registers-" + name + ".txt");
        Files.writeString(file, sb.toString());
        return file;
    }

    /** The default policy with its authorities replaced by the simulated ones (nothing else changed). */
    Path nationalPolicy(List<String> names) throws IOException {
        String text;
        try (InputStream in = Suite.class.getResourceAsStream("/uk/wycps/policy/default-policy.yaml")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String replaced = text.replaceFirst("names: \\[bradford, calderdale, kirklees, leeds, wakefield\\]",
                "names: [" + String.join(", ", names) + "]");
        if (replaced.equals(text) && !names.equals(SimRegisters.names(5))) {
            throw new IllegalStateException("default policy has no authorities line to replace");
        }
        Path file = work.resolve("national-policy.yaml");
        Files.writeString(file, replaced);
        return file;
    }

    void admin(String baseUrl, JsonObject faults) throws Exception {
        java.net.URI uri = java.net.URI.create(baseUrl);
        HttpClientAgent client = vertx.createHttpClient();
        int status = client.request(new RequestOptions().setMethod(HttpMethod.PUT).setHost(uri.getHost())
                        .setPort(uri.getPort()).setURI("/admin/faults").putHeader("Content-Type", "application/json"))
                .compose(req -> req.send(faults.toBuffer()))
                .map(resp -> resp.statusCode())
                .toCompletionStage().toCompletableFuture().get();
        client.close();
        if (status != 200) {
            throw new IllegalStateException("could not set faults on " + baseUrl + ": HTTP " + status);
        }
    }

    static String exec(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    static void progress(long t0, String what) {
        System.out.printf("[%4.0f s] %s%n", (System.nanoTime() - t0) / 1e9, what);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static String now() {
        return Instant.now().toString();
    }
}
