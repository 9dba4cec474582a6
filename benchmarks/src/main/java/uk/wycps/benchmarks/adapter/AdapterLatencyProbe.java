package uk.wycps.benchmarks.adapter;

import com.sun.management.OperatingSystemMXBean;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.SearchRequest;
import uk.wycps.gateway.adapter.LocalAdapter;
import uk.wycps.mock.MockFederation;
import uk.wycps.mock.MockOptions;
import uk.wycps.mock.MockRegister;
import uk.wycps.mock.MockRegisters;
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.SearchCriteria;

/**
 * What the register adapter adds (issue 17): the same searches of Leeds' SQL register, first
 * straight through its connector (as the gateway did before), then through its adapter over
 * mutual TLS with signed answers (what the gateway does now), in one JVM, one after the other,
 * each after its own warm-up. Reports p50 and p99 of each and the process CPU per search (the
 * adapter and both connectors run in this process, so the difference is what the adapter's hop
 * costs in all: TLS both ways, the canonical encoding, signing and checking).
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar uk.wycps.benchmarks.adapter.AdapterLatencyProbe
 * [searches] [inFlight]} (defaults 4000 and 4).
 */
public final class AdapterLatencyProbe {

    /** Searches that failed (a timeout on a loaded machine): counted and reported, not timed. */
    private static final AtomicInteger FAILED = new AtomicInteger();

    private AdapterLatencyProbe() {
    }

    public static void main(String[] args) throws Exception {
        int searches = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Vertx vertx = Vertx.vertx();
        try {
            MockFederation mocks = await(MockRegisters.start(vertx, MockOptions.defaults().withAuthorityDialects()
                    .withChildrenPerRegister(500).withEphemeralPorts()));
            MockRegister leeds = mocks.register("leeds");
            List<ChildRecord> children = mocks.population().records("leeds");
            RegisterSettings sql = leeds.connectorSettings();
            RegisterConnector direct = ConnectorRegistry.load().create(vertx, sql);
            Path dir = Files.createTempDirectory("wycps-adapter-probe");
            LocalAdapter.Pki pki = LocalAdapter.issue(dir);
            int port = await(LocalAdapter.start(vertx, LocalAdapter.adapterConfig(pki, sql, CanonicalFields.all())));
            RegisterConnector adapted = ConnectorRegistry.load().create(vertx,
                    LocalAdapter.gatewaySettings("leeds", port, pki));
            System.out.printf(Locale.ROOT, "Leeds' SQL register, %d children; %d searches each, %d in flight%n%n",
                    children.size(), searches, inFlight);
            System.out.println("| path | p50 ms | p99 ms | CPU per search ms | failed |");
            System.out.println("| --- | ---: | ---: | ---: | ---: |");
            for (int round = 0; round < 2; round++) {
                boolean report = round == 1;
                run("direct (SQL connector)", direct, children, searches, inFlight, report);
                run("through the adapter (mutual TLS, signed)", adapted, children, searches, inFlight, report);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        // The embedded SQL register's pool leaves a non-daemon thread behind: a probe ends when it has printed.
        System.exit(0);
    }

    private static void run(String name, RegisterConnector connector, List<ChildRecord> children, int searches,
            int inFlight, boolean report) throws Exception {
        Histogram latencies = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        AtomicInteger next = new AtomicInteger();
        FAILED.set(0);
        Promise<Void> done = Promise.promise();
        AtomicInteger running = new AtomicInteger(inFlight);
        for (int i = 0; i < inFlight; i++) {
            loop(connector, children, searches, next, latencies, running, done);
        }
        done.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
        double cpuMs = (os.getProcessCpuTime() - cpuBefore) / 1e6 / searches;
        if (report) {
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.3f | %d |%n", name,
                    latencies.getValueAtPercentile(50) / 1000.0, latencies.getValueAtPercentile(99) / 1000.0, cpuMs,
                    FAILED.get());
        }
    }

    private static void loop(RegisterConnector connector, List<ChildRecord> children, int searches, AtomicInteger next,
            Histogram latencies, AtomicInteger running, Promise<Void> done) {
        int n = next.getAndIncrement();
        if (n >= searches) {
            if (running.decrementAndGet() == 0) {
                done.tryComplete();
            }
            return;
        }
        ChildRecord child = children.get(n % children.size());
        SearchRequest request = new SearchRequest(new SearchCriteria(child.givenName(), child.familyName(), null, null,
                child.dateOfBirth(), null, null), CanonicalFields.all(), Deadline.afterMillis(5000), "probe-" + n);
        long started = System.nanoTime();
        connector.search(request).onComplete(ar -> {
            if (ar.failed()) {
                FAILED.incrementAndGet();
            } else {
                latencies.recordValue(Math.max(1, (System.nanoTime() - started) / 1000));
            }
            loop(connector, children, searches, next, latencies, running, done);
        });
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
}
