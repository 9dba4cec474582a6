package uk.wycps.mock.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.record.SearchCriteria;
import uk.wycps.connector.SearchRequest;
import uk.wycps.mock.MockDialects;
import uk.wycps.mock.MockFederation;
import uk.wycps.mock.MockOptions;
import uk.wycps.mock.MockRegister;
import uk.wycps.mock.MockRegisters;
import uk.wycps.mock.SyntheticPopulation;
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.ChildRecord;

/**
 * A benchmark, not a test: one register of (by default) 1,000,000 children searched at a fixed
 * arrival rate through the gateway's own connector, for a known child each time (exact name and
 * date of birth of a random record), asking for every canonical field. Open loop: latency is
 * measured from each request's intended start, so a stall is not hidden by the driver waiting
 * (no coordinated omission). Prints percentiles; see docs/performance.md.
 */
@Command(name = "register-search-benchmark", mixinStandardHelpOptions = true,
        description = "Search latency of one mock register at a fixed arrival rate.")
public final class RegisterSearchBenchmark implements Callable<Integer> {

    @Option(names = "--children", description = "Children in the register (default ${DEFAULT-VALUE}).")
    int children = MockOptions.BENCHMARK_CHILDREN;

    @Option(names = "--authority", description = "The register (default ${DEFAULT-VALUE}).")
    String authority = "bradford";

    @Option(names = "--dialect", description = "Its dialect: canonical-json, mapped-json, fhir-r4 or legacy-two-step (default ${DEFAULT-VALUE}).")
    String dialect = MockDialects.CANONICAL_JSON;

    @Option(names = "--rate", description = "Searches per second (default ${DEFAULT-VALUE}).")
    int rate = 200;

    @Option(names = "--warmup-seconds", description = "Unrecorded warm-up (default ${DEFAULT-VALUE}).")
    int warmupSeconds = 20;

    @Option(names = "--seconds", description = "Recorded run (default ${DEFAULT-VALUE}).")
    int seconds = 60;

    @Option(names = "--fields", description = "all or identity (default ${DEFAULT-VALUE}).")
    String fields = "all";

    @Option(names = "--deadline-ms", description = "Per-search deadline (default ${DEFAULT-VALUE}).")
    long deadlineMs = 2000;

    @Option(names = "--seed", description = "Seed of the synthetic data (default ${DEFAULT-VALUE}).")
    long seed = MockOptions.DEFAULT_SEED;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RegisterSearchBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Vertx vertx = Vertx.vertx();
        long t0 = System.nanoTime();
        MockFederation federation = MockRegisters.start(vertx, MockOptions.defaults().withSeed(seed)
                        .withChildrenPerRegister(children).withOnly(authority, 0)
                        .withDialects(java.util.Map.of(authority, dialect)))
                .await(30, TimeUnit.MINUTES);
        MockRegister register = federation.register(authority);
        System.out.printf(Locale.ROOT, "register %s (%s): %,d children ready in %.1f s%n", authority, register.dialect(),
                children, (System.nanoTime() - t0) / 1e9);
        RegisterSettings s = register.connectorSettings();
        RegisterSettings settings = new RegisterSettings(s.authority(), s.dialect(), s.baseUrl(), s.deadline(), 256, 4096,
                16 * 1024 * 1024, s.options());
        RegisterConnector connector = ConnectorRegistry.load().create(vertx, settings);
        java.util.Set<String> asked = "identity".equals(fields)
                ? java.util.Set.of("givenName", "familyName", "aliases", "dateOfBirth", "gender", "address")
                : CanonicalFields.all();
        SyntheticPopulation population = federation.population();

        run(connector, population, asked, warmupSeconds, null);
        Recorder recorder = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
        Stats stats = run(connector, population, asked, seconds, recorder);
        Histogram h = recorder.getIntervalHistogram();

        System.out.printf(Locale.ROOT, "searches: %,d at %d/s for %d s (after %d s warm-up), fields=%s, %d failed, "
                        + "%.1f candidates per answer on average%n",
                h.getTotalCount(), rate, seconds, warmupSeconds, fields, stats.failed.get(),
                stats.candidates.get() / (double) Math.max(1, h.getTotalCount() - stats.failed.get()));
        System.out.printf(Locale.ROOT, "latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
        connector.close().compose(v -> federation.close()).compose(v -> vertx.close()).await(30, TimeUnit.SECONDS);
        return h.getValueAtPercentile(99) < TimeUnit.MILLISECONDS.toNanos(20) && stats.failed.get() == 0 ? 0 : 1;
    }

    private static final class Stats {
        final AtomicLong failed = new AtomicLong();
        final AtomicLong candidates = new AtomicLong();
    }

    /** Issues searches at the fixed rate for {@code seconds}; waits for the last answers. */
    private Stats run(RegisterConnector connector, SyntheticPopulation population, java.util.Set<String> asked,
                      int seconds, Recorder recorder) throws Exception {
        Stats stats = new Stats();
        SplittableRandom random = new SplittableRandom(seed ^ seconds);
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        long total = (long) rate * seconds;
        List<Future<?>> outstanding = new ArrayList<>();
        for (long i = 0; i < total; i++) {
            long intended = start + i * interval;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            ChildRecord child = population.record(connectorAuthority(connector), random.nextInt(population.childrenPerRegister()));
            SearchCriteria criteria = new SearchCriteria(child.givenName(), child.familyName(), null, null,
                    child.dateOfBirth(), null, null);
            Future<?> f = connector.search(new SearchRequest(criteria, asked, Deadline.afterMillis(deadlineMs), "bench-" + i))
                    .andThen(ar -> {
                        long latency = System.nanoTime() - intended;
                        if (ar.failed()) {
                            stats.failed.incrementAndGet();
                        } else {
                            stats.candidates.addAndGet(ar.result().size());
                        }
                        if (recorder != null) {
                            recorder.recordValue(Math.min(latency, TimeUnit.SECONDS.toNanos(60)));
                        }
                    });
            outstanding.add(f);
            if (outstanding.size() > 10_000) {
                outstanding.removeIf(Future::isComplete);
            }
        }
        Future.join(new ArrayList<>(outstanding)).transform(ar -> Future.succeededFuture()).await(60, TimeUnit.SECONDS);
        return stats;
    }

    private static String connectorAuthority(RegisterConnector c) {
        return c.authority();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

}
