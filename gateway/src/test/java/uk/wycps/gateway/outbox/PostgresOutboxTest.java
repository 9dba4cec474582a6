package uk.wycps.gateway.outbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.HistoryDelivery;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.SearchRequest;
import uk.wycps.gateway.durable.Postgres;
import uk.wycps.gateway.support.TestPostgres;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.EnquiryHistoryEntry;

/**
 * The outbox of several nodes in one PostgreSQL table (issue 20; H3), against a real PostgreSQL
 * and a register played by WireMock (canonical-json, {@code POST /enquiries}). A row written by
 * one node wakes the others through LISTEN/NOTIFY, not the poll; a failing register gets retries
 * with a growing back-off and the row is kept until it acknowledges; two nodes on one table never
 * send the same row at once; a row leased by a node that vanished is sent by another once its
 * lease has run out.
 */
class PostgresOutboxTest {

    private static final String AUTHORITY = "bradford";
    /** Far longer than any wait below: a delivery seen within it was not the poll's doing. */
    private static final Duration NO_POLL = Duration.ofMinutes(10);
    /** Long enough for a node's last look at an empty table to have ended (a lower bound only). */
    private static final long QUIET_MS = 500;

    private TestPostgres pg;
    private Postgres database;
    private Vertx vertx;
    private WireMockServer register;
    private final List<Pool> pools = new ArrayList<>();
    private final List<PostgresOutbox> outboxes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        pg = TestPostgres.create(PostgresOutboxTest.class);
        database = Postgres.of(pg.uri, pg.user, pg.passwordFile);
        database.migrate();
        vertx = Vertx.vertx();
        register = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        register.start();
        acknowledging();
    }

    @AfterEach
    void stop() throws Exception {
        for (PostgresOutbox o : outboxes) {
            await(o.close());
        }
        for (Pool p : pools) {
            await(p.close());
        }
        if (vertx != null) {
            await(vertx.close());
        }
        if (register != null) {
            register.stop();
        }
        if (pg != null) {
            pg.close();
        }
    }

    // ---- the behaviours ---------------------------------------------------------------------------

    /**
     * Verifies that a row written by one node is delivered by another woken by NOTIFY: the
     * delivering node polls only every ten minutes, and the writing node delivers to no register.
     */
    @Test
    void aRowWrittenOnOneNodeIsDeliveredByAnotherWokenByNotifyNotByThePoll() throws Exception {
        // GIVEN node A delivers to the register and polls every ten minutes; node B only writes
        PostgresOutbox a = node(vertx, "node-a", Map.of(AUTHORITY, connector(vertx)), Duration.ofSeconds(30), NO_POLL);
        PostgresOutbox b = node(vertx, "node-b", Map.of(), Duration.ofSeconds(30), NO_POLL);
        // (A looks once when it starts, and again after each send until it finds nothing: let that
        // end first, so that only a notification can make it look again)
        Thread.sleep(QUIET_MS);
        // WHEN node B writes a row, and another once the first has arrived and node A is idle again
        await(b.enqueue(List.of(history("h1"))));
        waitUntil(() -> deliveries().containsKey("h1"), "h1 was not delivered: node A was not woken");
        waitUntil(() -> outboxRows() == 0, "h1's row was not deleted");
        Thread.sleep(QUIET_MS);
        await(b.enqueue(List.of(history("h2"))));
        waitUntil(() -> deliveries().containsKey("h2"), "h2 was not delivered: node A was not woken again");
        // THEN each reached the register once, and node A deleted its row
        assertEquals(Map.of("h1", 1, "h2", 1), deliveries());
        waitUntil(() -> outboxRows() == 0, "the acknowledged rows were not deleted");
        assertEquals(Map.of(), await(a.pendingCounts()));
    }

    /**
     * Verifies that a notification which arrives while the node's claim is in flight is not
     * lost: that claim ran before the row committed and finds nothing, so the node must look
     * again when it ends rather than leave the row to the poll (ten minutes here). The node's
     * pool reaches the database through a proxy that holds every answer back for two seconds,
     * so the row commits, and its notification (on the node's own LISTEN connection) arrives,
     * after the claim ran and before the node has its empty result.
     */
    @Test
    void aRowThatCommitsWhileANodesClaimIsInFlightIsDeliveredWithoutWaitingForThePoll() throws Exception {
        // GIVEN a node whose database answers reach it two seconds late
        AnswerDelayingProxy proxy = AnswerDelayingProxy.start(vertx, database.connectOptions(), 2_000);
        Pool slowPool = PgBuilder.pool().connectingTo(new PgConnectOptions(database.connectOptions())
                .setHost("127.0.0.1").setPort(proxy.port())).using(vertx).build();
        pools.add(slowPool);
        outboxes.add(await(PostgresOutbox.start(vertx, slowPool, database.connectOptions(),
                Map.of(AUTHORITY, connector(vertx)), "node-a", Duration.ofSeconds(30), NO_POLL,
                Duration.ofMillis(50))));
        // AND its first claim (made as it starts listening) has run in the database, finding nothing
        assertTrue(proxy.emptyUpdateHeldBack.await(60, TimeUnit.SECONDS), "the node's first claim never ran");
        // WHEN a row is written (another node, its notification sent at commit) before that claim's result is back
        PostgresOutbox writer = node(vertx, "node-b", Map.of(), Duration.ofSeconds(30), NO_POLL);
        await(writer.enqueue(List.of(history("h1"))));
        // THEN node A looks again once its claim ends, and delivers the row long before any poll
        waitUntil(() -> deliveries().containsKey("h1"), "h1 waited for the poll: the notification was lost");
        waitUntil(() -> outboxRows() == 0, "h1's row was not deleted");
        assertEquals(Map.of("h1", 1), deliveries());
    }

    /**
     * Verifies that a register answering 503 gets the row again with a back-off that grows, that
     * the row stays in the table meanwhile, and that it is delivered once the register recovers.
     * The poll is out of the way: the retries are the node's own.
     */
    @Test
    void aFailingRegisterGetsRetriesWithAGrowingBackOffAndTheRowIsDeliveredOnceItRecovers() throws Exception {
        // GIVEN the register answers 503
        register.resetAll();
        register.stubFor(post(urlEqualTo("/enquiries")).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"unavailable\"}")));
        long firstBackoffMs = 200;
        PostgresOutbox a = node(vertx, "node-a", Map.of(AUTHORITY, connector(vertx)), Duration.ofSeconds(30), NO_POLL,
                Duration.ofMillis(firstBackoffMs));
        // WHEN a row is written and the register refuses it four times
        await(a.enqueue(List.of(history("h1"))));
        waitUntil(() -> register.getAllServeEvents().size() >= 4, "the register was not retried");
        // THEN the row is still in the table, released (not leased) with a back-off ahead of it
        assertEquals(1, outboxRows(), "the row was lost while the register refused it");
        // AND the gaps between attempts grow: each is at least half the back-off of its attempt
        // number (base doubling, jitter in the upper half), so the third is at least four times the first's
        List<Instant> attempts = attemptTimes();
        for (int i = 1; i < 4; i++) {
            long gap = Duration.between(attempts.get(i - 1), attempts.get(i)).toMillis();
            long least = (firstBackoffMs << (i - 1)) / 2;
            assertTrue(gap >= least, "attempt " + (i + 1) + " came " + gap + " ms after the one before; at least "
                    + least + " expected");
        }
        // WHEN the register recovers
        acknowledging();
        // THEN the row is delivered and acknowledged, and nothing is left
        waitUntil(() -> deliveries().containsKey("h1"), "h1 was not delivered after the register recovered");
        waitUntil(() -> outboxRows() == 0, "the acknowledged row was not deleted");
        assertEquals(Map.of("h1", 1), deliveries());
    }

    /**
     * Verifies that a checkpoint the register does not take (this one has no checkpoint path:
     * 404) holds no enquiry history behind it (H3): history written while the refused checkpoint
     * waits out its back-off (a minute here) is delivered at once, and the checkpoint stays.
     */
    @Test
    void aCheckpointTheRegisterDoesNotTakeHoldsNoEnquiryHistoryBehindIt() throws Exception {
        PostgresOutbox a = node(vertx, "node-a", Map.of(AUTHORITY, connector(vertx)), Duration.ofSeconds(30), NO_POLL,
                Duration.ofMinutes(1));
        await(a.enqueue(List.of(OutboxMessage.checkpoint(AUTHORITY, new uk.wycps.connector.AuditCheckpoint(7, "head-7",
                "2026-11-29T10:00:00Z", "key-1", "sig")))));
        waitUntil(() -> register.getAllServeEvents().stream()
                .anyMatch(e -> e.getRequest().getUrl().startsWith("/audit-checkpoints/")), "the checkpoint was not sent");
        Thread.sleep(QUIET_MS);
        long written = System.nanoTime();
        await(a.enqueue(List.of(history("h1"))));
        waitUntil(() -> deliveries().containsKey("h1"), "h1 was not delivered");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - written);
        assertTrue(tookMs < 20_000, "h1 waited " + tookMs + " ms behind the refused checkpoint");
        waitUntil(() -> outboxRows() == 1, "the history row was not deleted, or the checkpoint's was");
    }

    /**
     * Verifies that two nodes delivering from one table never send the same row twice: every
     * entry reaches the acknowledging register exactly once (counted per entry id over every
     * request, not de-duplicated), and both nodes took part.
     */
    @Test
    void twoNodesOnOneTableNeverSendTheSameRowTwice() throws Exception {
        // GIVEN a register slow enough that a node's send overlaps the other's claims
        register.resetAll();
        register.stubFor(post(urlEqualTo("/enquiries")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{}").withFixedDelay(30)));
        CountingConnector viaA = new CountingConnector(connector(vertx));
        CountingConnector viaB = new CountingConnector(connector(vertx));
        PostgresOutbox a = node(vertx, "node-a", Map.of(AUTHORITY, viaA), Duration.ofSeconds(30), NO_POLL);
        PostgresOutbox b = node(vertx, "node-b", Map.of(AUTHORITY, viaB), Duration.ofSeconds(30), NO_POLL);
        // WHEN rows arrive in many small transactions, from both nodes
        int total = 0;
        for (int t = 0; t < 60; t++) {
            List<OutboxMessage> batch = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                batch.add(history("e" + t + "-" + i));
            }
            await((t % 2 == 0 ? a : b).enqueue(batch));
            total += batch.size();
        }
        int expected = total;
        waitUntil(() -> outboxRows() == 0, "the rows were not all delivered");
        // THEN every entry reached the register exactly once
        Map<String, Integer> delivered = deliveries();
        assertEquals(expected, delivered.size(), "entries that reached the register");
        delivered.forEach((id, n) -> assertEquals(1, n, "deliveries of " + id));
        // AND both nodes delivered, and between them sent each entry once
        assertTrue(viaA.sent.get() > 0 && viaB.sent.get() > 0,
                "one node delivered everything (" + viaA.sent + " / " + viaB.sent + "): no concurrency was shown");
        assertEquals(expected, viaA.sent.get() + viaB.sent.get());
    }

    /**
     * Verifies that a row claimed by a node that then vanished (its process gone, its lease in
     * the table) is delivered by another node once the lease has run out, not before, and once.
     */
    @Test
    void aRowLeasedByANodeThatVanishedIsTakenOverAfterItsLease() throws Exception {
        // GIVEN a node claims a row and is sending it when it vanishes
        Vertx ghostVertx = Vertx.vertx();
        HangingConnector hanging = new HangingConnector();
        Pool ghostPool = database.pool(ghostVertx);
        PostgresOutbox ghost = await(PostgresOutbox.start(ghostVertx, ghostPool, database.connectOptions(),
                Map.of(AUTHORITY, hanging), "ghost", Duration.ofSeconds(3), NO_POLL, Duration.ofMillis(50)));
        await(ghost.enqueue(List.of(history("h1"))));
        assertTrue(hanging.claimed.await(30, TimeUnit.SECONDS), "the ghost never claimed the row");
        await(ghostVertx.close());
        Instant leasedUntil;
        try (Connection c = pg.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT leased_by, leased_until FROM outbox WHERE id = 'h1'")) {
            assertTrue(rs.next(), "the row is gone");
            assertEquals("ghost", rs.getString(1));
            leasedUntil = rs.getTimestamp(2).toInstant();
        }
        // WHEN another node runs (polling often: nothing notifies when a lease runs out)
        node(vertx, "node-a", Map.of(AUTHORITY, connector(vertx)), Duration.ofSeconds(3), Duration.ofMillis(200));
        // THEN it delivers the row after the lease has run out, once, and deletes it
        waitUntil(() -> deliveries().containsKey("h1"), "the vanished node's row was not taken over");
        Instant sent = attemptTimes().get(0);
        assertFalse(sent.plusMillis(1).isBefore(leasedUntil),
                "taken over at " + sent + " while leased until " + leasedUntil);
        waitUntil(() -> outboxRows() == 0, "the row was not deleted");
        assertEquals(Map.of("h1", 1), deliveries());
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private PostgresOutbox node(Vertx on, String name, Map<String, RegisterConnector> connectors, Duration lease,
            Duration poll) throws Exception {
        return node(on, name, connectors, lease, poll, Duration.ofMillis(50));
    }

    private PostgresOutbox node(Vertx on, String name, Map<String, RegisterConnector> connectors, Duration lease,
            Duration poll, Duration firstBackoff) throws Exception {
        Pool pool = database.pool(on);
        pools.add(pool);
        PostgresOutbox outbox = await(PostgresOutbox.start(on, pool, database.connectOptions(), connectors, name, lease,
                poll, firstBackoff));
        outboxes.add(outbox);
        return outbox;
    }

    private RegisterConnector connector(Vertx on) {
        return ConnectorRegistry.load().create(on, RegisterSettings.of(AUTHORITY, "canonical-json",
                URI.create("http://127.0.0.1:" + register.port())));
    }

    /** The register takes every batch of entries. */
    private void acknowledging() {
        register.resetMappings();
        register.stubFor(post(urlEqualTo("/enquiries")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{}")));
    }

    private static OutboxMessage history(String id) {
        return OutboxMessage.history(AUTHORITY, "BD-000001", new EnquiryHistoryEntry(id, "enq-" + id,
                Instant.parse("2026-11-29T10:00:00Z"), "user-1", "child-worker", "social-services", "leeds",
                "register-check", "not-sought"));
    }

    /** Entries the register acknowledged (answered 200), per entry id, repeats counted. */
    private Map<String, Integer> deliveries() {
        Map<String, Integer> out = new HashMap<>();
        for (ServeEvent e : register.getAllServeEvents()) {
            if (e.getResponse().getStatus() != 200) {
                continue;
            }
            JsonArray entries = new JsonObject(e.getRequest().getBodyAsString()).getJsonArray("entries");
            for (int i = 0; i < entries.size(); i++) {
                out.merge(entries.getJsonObject(i).getJsonObject("entry").getString("entryId"), 1, Integer::sum);
            }
        }
        return out;
    }

    /** When the register received each request, in order. */
    private List<Instant> attemptTimes() {
        return register.getAllServeEvents().stream().map(e -> e.getRequest().getLoggedDate().toInstant())
                .sorted(Comparator.naturalOrder()).toList();
    }

    private long outboxRows() {
        try (Connection c = pg.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM outbox")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for {@code condition}; fails with {@code why} after a minute (a bound on the test, not on the system). */
    private static void waitUntil(BooleanSupplier condition, String why) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError(why);
            }
            Thread.sleep(20);
        }
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** A node's connector that counts the entries this node sent. */
    private static final class CountingConnector implements RegisterConnector {
        final RegisterConnector delegate;
        final AtomicInteger sent = new AtomicInteger();

        CountingConnector(RegisterConnector delegate) {
            this.delegate = delegate;
        }

        @Override
        public String authority() {
            return delegate.authority();
        }

        @Override
        public Future<List<ChildRecord>> search(SearchRequest request) {
            return delegate.search(request);
        }

        @Override
        public Future<Void> recordEnquiry(String recordId, EnquiryHistoryEntry entry, Deadline deadline) {
            return recordEnquiries(List.of(new HistoryDelivery(recordId, entry)), deadline);
        }

        @Override
        public Future<Void> recordEnquiries(List<HistoryDelivery> deliveries, Deadline deadline) {
            sent.addAndGet(deliveries.size());
            return delegate.recordEnquiries(deliveries, deadline);
        }

        @Override
        public int historyBatchSize() {
            return delegate.historyBatchSize();
        }

        @Override
        public Future<Void> close() {
            return delegate.close();
        }
    }

    /** A register that never answers: the node holding the lease is still "sending" when it vanishes. */
    private static final class HangingConnector implements RegisterConnector {
        final CountDownLatch claimed = new CountDownLatch(1);

        @Override
        public String authority() {
            return AUTHORITY;
        }

        @Override
        public Future<List<ChildRecord>> search(SearchRequest request) {
            return Future.succeededFuture(List.of());
        }

        @Override
        public Future<Void> recordEnquiry(String recordId, EnquiryHistoryEntry entry, Deadline deadline) {
            return recordEnquiries(List.of(new HistoryDelivery(recordId, entry)), deadline);
        }

        @Override
        public Future<Void> recordEnquiries(List<HistoryDelivery> deliveries, Deadline deadline) {
            claimed.countDown();
            return Promise.<Void>promise().future();
        }

        @Override
        public Future<Void> close() {
            return Future.succeededFuture();
        }
    }
    /**
     * A TCP proxy in front of the database that forwards what the client sends at once and
     * holds back what the database answers by {@code delayMs} (in order). It counts down
     * {@link #emptyUpdateHeldBack} when it holds back the end of an UPDATE that changed no row
     * (the protocol's CommandComplete tag {@code UPDATE 0}): a claim that found nothing.
     */
    private record AnswerDelayingProxy(NetServer server, CountDownLatch emptyUpdateHeldBack) {

        static AnswerDelayingProxy start(Vertx vertx, PgConnectOptions target, long delayMs) throws Exception {
            NetClient client = vertx.createNetClient();
            CountDownLatch emptyUpdate = new CountDownLatch(1);
            NetServer server = vertx.createNetServer().connectHandler(fromNode -> {
                fromNode.pause();
                client.connect(target.getPort(), target.getHost()).onSuccess(toDatabase -> {
                    fromNode.handler(toDatabase::write);
                    toDatabase.handler(answer -> {
                        if (answer.toString(StandardCharsets.ISO_8859_1).contains("UPDATE 0\0")) {
                            emptyUpdate.countDown();
                        }
                        vertx.setTimer(delayMs, t -> fromNode.write(answer));
                    });
                    fromNode.closeHandler(v -> toDatabase.close());
                    toDatabase.closeHandler(v -> vertx.setTimer(delayMs, t -> fromNode.close()));
                    fromNode.resume();
                }).onFailure(e -> fromNode.close());
            });
            return new AnswerDelayingProxy(await(server.listen(0, "127.0.0.1")), emptyUpdate);
        }

        int port() {
            return server.actualPort();
        }
    }
}
