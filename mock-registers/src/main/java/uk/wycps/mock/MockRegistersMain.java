package uk.wycps.mock;

import io.vertx.core.Vertx;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar mock-registers.jar}: all five mock registers on their default ports, or one
 * with {@code --authority NAME --port N}; {@code ground-truth --out FILE} writes which records
 * are the same child. Prints where the registers are; never any record content (H5).
 */
@Command(name = "mock-registers", mixinStandardHelpOptions = true,
        description = "Mock child protection registers with synthetic data and fault injection.",
        subcommands = MockRegistersMain.GroundTruthCommand.class)
public final class MockRegistersMain implements Callable<Integer> {

    /** Options shared by both commands. */
    static final class DataOptions {
        @Option(names = "--children", description = "Children per register (default ${DEFAULT-VALUE}).")
        int children = MockOptions.DEFAULT_CHILDREN;

        @Option(names = "--benchmark", description = "1,000,000 children per register (overrides --children).")
        boolean benchmark;

        @Option(names = "--seed", description = "Seed of the synthetic data (default ${DEFAULT-VALUE}).")
        long seed = MockOptions.DEFAULT_SEED;

        int childrenPerRegister() {
            return benchmark ? MockOptions.BENCHMARK_CHILDREN : children;
        }
    }

    @CommandLine.Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--authority", description = "Start only this register: bradford, calderdale, kirklees, leeds or wakefield.")
    String authority;

    @Option(names = "--port", description = "Port of the single register (with --authority; default its usual port).")
    Integer port;

    @Option(names = "--host", description = "Address to bind (default ${DEFAULT-VALUE}).")
    String host = MockOptions.DEFAULT_HOST;

    @Option(names = "--latency-ms", description = "Delay added to every answer.")
    long latencyMs;

    @Option(names = "--jitter-ms", description = "Upper bound of a further random delay.")
    long jitterMs;

    @Option(names = "--error-rate", description = "Share of answers turned into HTTP 500 (0.0 to 1.0).")
    double errorRate;

    @Option(names = "--canonical", description = "Every register on canonical-json instead of its authority's dialect.")
    boolean canonical;

    @Option(names = "--mode", description = "none, hang, reset, malformed, drip, wrong-content-type or error.")
    String mode = "none";

    public static void main(String[] args) {
        // Its own name, so that the gateway (which embeds the registers) keeps its logback.xml.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "mock-registers-logback.xml");
        }
        int code = new CommandLine(new MockRegistersMain()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() {
        FaultSettings faults;
        MockOptions options;
        try {
            faults = new FaultSettings(latencyMs, jitterMs, errorRate, FaultMode.fromCode(mode));
            Map<String, Integer> ports = new LinkedHashMap<>(MockRegisters.DEFAULT_PORTS);
            if (authority != null) {
                if (!ports.containsKey(authority)) {
                    throw new IllegalArgumentException("unknown authority '" + authority + "'");
                }
                ports = Map.of(authority, port != null ? port : ports.get(authority));
            } else if (port != null) {
                throw new IllegalArgumentException("--port needs --authority");
            }
            options = new MockOptions(data.seed, data.childrenPerRegister(), host, ports, faults,
                    canonical ? MockDialects.allCanonical() : MockDialects.DEFAULTS);
        } catch (IllegalArgumentException e) {
            System.err.println("mock-registers: " + e.getMessage());
            return 2;
        }
        Vertx vertx = Vertx.vertx();
        MockFederation federation;
        try {
            federation = MockRegisters.start(vertx, options).await(10, TimeUnit.MINUTES);
        } catch (Exception e) {
            System.err.println("mock-registers: could not start: " + e.getMessage());
            vertx.close();
            return 1;
        }
        announce(federation, faults);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                federation.close().compose(v -> vertx.close()).await(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // Shutting down anyway.
            }
        }));
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Says where each register listens, as log lines: standard output carries one JSON object per
     * line and nothing else, so a log platform reads it whole (O3). Ids, addresses and counts
     * only (H5). The logger is looked up here, not in a static field: {@link #main} names the
     * logback configuration before logback first starts.
     */
    static void announce(MockFederation federation, FaultSettings faults) {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MockRegistersMain.class);
        for (MockRegister r : federation.registers()) {
            log.info("register ready: authority={}, dialect={}, baseUrl={}, records={}{}", r.authority(), r.dialect(),
                    r.baseUrl(), r.records().size(), r.jdbcUrl().map(u -> ", sql=" + u).orElse(""));
        }
        log.info("faults: {} (PUT/GET/DELETE {baseUrl}/admin/faults to change them)", faults.toJson().encode());
    }

    /** Writes the ground truth: which records in which registers are the same child. */
    @Command(name = "ground-truth", mixinStandardHelpOptions = true,
            description = "Write which records are the same child (JSON) to a file; never served by a register.")
    static final class GroundTruthCommand implements Callable<Integer> {

        @CommandLine.Mixin
        DataOptions data = new DataOptions();

        @Option(names = "--out", required = true, description = "The file to write.")
        Path out;

        @Override
        public Integer call() throws IOException {
            SyntheticPopulation population;
            try {
                population = SyntheticPopulation.generate(data.seed, data.childrenPerRegister());
            } catch (IllegalArgumentException e) {
                System.err.println("mock-registers: " + e.getMessage());
                return 2;
            }
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out))) {
                population.groundTruth().writeJson(os);
            }
            System.out.println("ground truth written to " + out);
            return 0;
        }
    }
}
