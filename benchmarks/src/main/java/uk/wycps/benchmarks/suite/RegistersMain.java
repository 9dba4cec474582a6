package uk.wycps.benchmarks.suite;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import uk.wycps.mock.FaultSettings;
import uk.wycps.mock.MockFederation;
import uk.wycps.mock.MockOptions;
import uk.wycps.mock.MockRegister;
import uk.wycps.mock.MockRegisters;

/**
 * The registers, in a JVM of their own. {@code mock LATENCY_MS}: the five mock registers
 * (synthetic data, default seed and size, all on {@code canonical-json}, ephemeral ports) each
 * answering after a fixed delay. {@code sim COUNT SEED}: {@link SimRegisters}. Prints
 * {@code READY <json: authority to base URL>}, then serves {@link JvmStats} commands on stdin
 * ({@code sim-reset} / {@code sim-stats} for the simulated registers' own latencies).
 * The mock registers' enquiry history is frozen at {@link #HISTORY_PER_RECORD} entries per record
 * (deliveries acknowledged, not kept), so that every system under test gets the same answers.
 */
public final class RegistersMain {

    /** Enquiry-history entries each mock record carries in the suite. */
    static final int HISTORY_PER_RECORD = 3;

    public static void main(String[] args) throws Exception {
        JvmStats.startSampling();
        Vertx vertx = Vertx.vertx();
        JsonObject bases = new JsonObject();
        SimRegisters sim = null;
        if (args[0].equals("mock")) {
            long latency = Long.parseLong(args[1]);
            MockFederation federation = SutMain.await(MockRegisters.start(vertx, MockOptions.defaults()
                    .withEphemeralPorts().withCanonicalDialect().withFaults(FaultSettings.latency(latency))));
            for (MockRegister r : federation.registers()) {
                bases.put(r.authority(), r.baseUrl().toString());
                // the same answers for every system under test: a few entries of history per record
                r.freezeEnquiryHistory(HISTORY_PER_RECORD);
            }
        } else {
            int count = Integer.parseInt(args[1]);
            long seed = Long.parseLong(args[2]);
            sim = new SimRegisters(SimRegisters.names(count), seed);
            SimRegisters s = sim;
            int port = SutMain.await(vertx.deployVerticle(() -> s.verticle(),
                    new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors()))
                    .map(id -> s.port()));
            for (String name : sim.authorities()) {
                bases.put(name, "http://127.0.0.1:" + port + "/" + name);
            }
        }
        System.out.println("READY " + bases.encode());
        System.out.flush();
        SimRegisters simulated = sim;
        JvmStats.serveCommands(cmd -> {
            if (simulated == null) {
                return null;
            }
            if (cmd.equals("sim-reset")) {
                simulated.reset();
            }
            return simulated.stats();
        }, () -> {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
            System.exit(0);
        });
    }
}
