package uk.wycps.gateway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.audit.AuditKeys;
import uk.wycps.gateway.audit.AuditVerifier;
import uk.wycps.gateway.audit.PostgresAuditLog;
import uk.wycps.gateway.support.GatewayHarness;
import uk.wycps.gateway.support.GatewayNodes;
import uk.wycps.gateway.support.TestIssuer;
import uk.wycps.gateway.support.TestPostgres;
import uk.wycps.mock.FaultSettings;
import uk.wycps.mock.MockFederation;
import uk.wycps.mock.MockOptions;
import uk.wycps.mock.MockRegister;
import uk.wycps.mock.MockRegisters;
import uk.wycps.mock.SyntheticPopulation;
import uk.wycps.record.EnquiryHistoryEntry;

/**
 * Two gateway nodes (separate JVMs, each with its own configuration) on one PostgreSQL under a
 * steady load; one is killed with SIGKILL mid-load, while it holds leased outbox rows, and
 * restarted (issue 20; H1, H2, H3). Every answered enquiry has exactly one audit entry; every
 * register notification of every audited enquiry is applied exactly once at its register, and
 * delivered exactly once (counted per entry id at the register, repeats included) but for the
 * rows the killed node held, which the surviving node takes over after their lease; the one
 * chain verifies over the whole log, against the checkpoints the registers kept too, so it never
 * forked.
 */
class NodeFailoverTest {

    private static final int WORKERS = 6;
    private static final long REGISTER_LATENCY_MS = 100;

    @TempDir
    Path dir;

    private Vertx vertx;
    private TestPostgres pg;
    private MockFederation mocks;
    private final List<GatewayNodes.Node> running = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        pg = TestPostgres.create(NodeFailoverTest.class);
        vertx = Vertx.vertx();
        // Registers that take a while to answer, so that a node's sends are in flight (its rows
        // leased) for much of the time and the kill below catches some of them.
        mocks = MockRegisters.start(vertx, MockOptions.defaults().withChildrenPerRegister(50).withEphemeralPorts()
                        .withFaults(FaultSettings.latency(REGISTER_LATENCY_MS)))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        for (GatewayNodes.Node n : running) {
            n.kill();
        }
        if (mocks != null) {
            mocks.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void aNodeKilledMidLoadLosesNoAuditEntryAndNoNotificationAndTheChainNeverForks() throws Exception {
        TestIssuer issuer = new TestIssuer(vertx);
        List<RegisterSettings> registers = new ArrayList<>();
        for (MockRegister r : mocks.registers()) {
            registers.add(r.connectorSettings());
        }
        // An outbox lease short enough that what the killed node had claimed is taken over within
        // the test, long enough that a live node never loses one: a send's deadline is half of it
        // (5 s), and a send or its acknowledgement slower than the rest would let another node send
        // the same rows again, which would be counted below as a repeat.
        GatewayNodes nodes = new GatewayNodes(dir, pg, issuer, registers, 25, 10);
        List<GatewayNodes.Node> started = nodes.start("node-a", "node-b");
        running.addAll(started);
        GatewayNodes.Node a = started.get(0);
        GatewayNodes.Node b = started.get(1);

        SyntheticPopulation.CrossBoundaryExample child = mocks.population().crossBoundaryExample();
        JsonObject enquiry = GatewayHarness.enquiry(child.givenName(), child.familyName(), child.dateOfBirth().toString());
        String token = issuer.token("child-worker", "social-services", "leeds", "cross-authority:*");

        // GIVEN a steady load spread over both nodes
        AtomicReference<GatewayNodes.Node> nodeA = new AtomicReference<>(a);
        Set<String> answered = ConcurrentHashMap.newKeySet();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger refusedWithData = new AtomicInteger();
        AtomicBoolean loading = new AtomicBoolean(true);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            int worker = w;
            Thread thread = new Thread(() -> {
                for (int i = 0; loading.get(); i++) {
                    GatewayNodes.Node target = (i + worker) % 2 == 0 ? nodeA.get() : b;
                    HttpResponse<String> r = target.enquire(client, token, enquiry);
                    if (r != null && r.statusCode() == 200) {
                        answered.add(new JsonObject(r.body()).getString("enquiryId"));
                    } else {
                        failed.incrementAndGet();
                        if (r != null && r.body().contains(child.familyName())) {
                            refusedWithData.incrementAndGet();
                        }
                    }
                }
            }, "load-" + worker);
            thread.start();
            workers.add(thread);
        }
        waitForAnswers(answered, 30);
        // WHEN node A is killed with SIGKILL mid-load, while it holds leased outbox rows, and restarted
        waitForLeases(nodes, "node-a");
        a.kill();
        running.remove(a);
        // (its leases outlive it; until they run out no other node may take those rows)
        Set<String> heldAtKill = leasedBy(nodes, "node-a");
        assertFalse(heldAtKill.isEmpty(), "node A held no leased outbox row when it was killed: no takeover to show");
        int atKill = answered.size();
        waitForAnswers(answered, atKill + 20);
        GatewayNodes.Node restarted = nodes.start("node-a");
        running.add(restarted);
        nodeA.set(restarted);
        int atRestart = answered.size();
        waitForAnswers(answered, atRestart + 30);
        loading.set(false);
        for (Thread t : workers) {
            t.join();
        }
        // THEN nothing the load got back as "not answered" carried data
        assertEquals(0, refusedWithData.get(), "a failed enquiry's body held record data");
        // AND every register has been told everything (the killed node's leases ran out and were taken over)
        assertTrue(nodes.outboxDrains(Duration.ofSeconds(60)), "the outbox did not drain");

        // AND every answered enquiry has exactly one audit entry (H1)
        Map<String, Integer> entries = nodes.auditEntriesByEnquiry();
        for (String id : answered) {
            assertEquals(Integer.valueOf(1), entries.get(id), "audit entries of answered enquiry " + id);
        }
        entries.forEach((id, n) -> assertEquals(1, n, "audit entries of enquiry " + id));
        // AND both nodes wrote, the restarted one too
        assertTrue(nodes.count("SELECT count(*) FROM audit_entry WHERE node = 'node-b'") > 0);
        assertTrue(nodes.count("SELECT count(DISTINCT node) FROM audit_entry WHERE kind = 'enquiry'") == 2);

        // AND every notification of every audited enquiry was applied exactly once at its register (H3),
        // and delivered exactly once (counted per entry id at the register, repeats included), but for
        // the rows the killed node held: those were delivered again by the node that took them over
        // (at least once; applied once), and each of them did reach its register
        Map<String, Integer> deliveredTwice = new HashMap<>();
        int takenOver = 0;
        for (MockRegister r : mocks.registers()) {
            for (var record : r.records()) {
                for (EnquiryHistoryEntry e : r.enquiryHistory(record.recordId())) {
                    int n = r.enquiryDeliveries(e.entryId());
                    assertTrue(n >= 1, e.entryId() + " kept at " + r.authority() + " but never delivered");
                    if (heldAtKill.contains(e.entryId())) {
                        takenOver++;
                    } else if (n > 1) {
                        deliveredTwice.put(e.entryId(), n);
                    }
                }
            }
        }
        assertEquals(Map.of(), deliveredTwice, "entries delivered more than once though no dying node held them;"
                + " the nodes said:\n" + outboxLines());
        long checkpointsHeld = heldAtKill.stream().filter(id -> id.startsWith("checkpoint-")).count();
        assertEquals(heldAtKill.size() - checkpointsHeld, takenOver,
                "rows the killed node held that never reached their register: " + heldAtKill);
        Map<String, Map<String, Integer>> applied = new HashMap<>();
        int expected = 0;
        for (JsonObject entry : nodes.enquiryEntries()) {
            String enquiryId = entry.getString("enquiryId");
            for (String list : new String[] {"released", "notified"}) {
                JsonArray refs = entry.getJsonArray(list, new JsonArray());
                for (int i = 0; i < refs.size(); i++) {
                    JsonObject ref = refs.getJsonObject(i);
                    String key = ref.getString("authority") + "/" + ref.getString("recordId");
                    Map<String, Integer> byEnquiry = applied.computeIfAbsent(key, k -> histories(
                            ref.getString("authority"), ref.getString("recordId")));
                    assertEquals(Integer.valueOf(1), byEnquiry.get(enquiryId), "entries at " + key + " for " + enquiryId);
                    expected++;
                }
            }
        }
        int total = applied.values().stream().mapToInt(m -> m.values().stream().mapToInt(Integer::intValue).sum()).sum();
        assertEquals(expected, total, "entries at the registers beyond those the audit names");
        assertTrue(expected >= answered.size(), "each answered enquiry released records");

        // AND verify-audit --postgres passes over the whole log, and against every register's checkpoints
        assertEquals(0, new picocli.CommandLine(new uk.wycps.gateway.GatewayMain()).execute("verify-audit",
                "--postgres", pg.uri, "--user", pg.user, "--password-file", pg.passwordFile.toString(),
                "--public-key", nodes.publicKey().toString()));
        AuditKeys.Verifier keys = AuditKeys.verifier(Files.readString(nodes.publicKey()));
        try (Connection c = pg.connect()) {
            for (MockRegister r : mocks.registers()) {
                AuditVerifier.Result result = PostgresAuditLog.verify(c, keys, r.auditCheckpoints());
                assertTrue(result.intact(), r.authority() + ": " + result);
                assertTrue(result.checkpoints() > 0);
            }
            AuditVerifier.Result whole = PostgresAuditLog.verify(c, keys, List.of());
            assertEquals(entries.size(), whole.entries(), whole.toString());
        }
        System.out.printf("failover: %d answered, %d not answered (node down or in flight), %d audited, %d notifications,"
                + " %d outbox rows held by the killed node and taken over%n",
                answered.size(), failed.get(), entries.size(), expected, heldAtKill.size());
    }

    private Map<String, Integer> histories(String authority, String recordId) {
        Map<String, Integer> byEnquiry = new HashMap<>();
        for (EnquiryHistoryEntry e : mocks.register(authority).enquiryHistory(recordId)) {
            byEnquiry.merge(e.enquiryId(), 1, Integer::sum);
        }
        return byEnquiry;
    }

    /** What the nodes logged about their outbox (failed sends and their retries), for a failure's message. */
    private String outboxLines() throws java.io.IOException {
        StringBuilder out = new StringBuilder();
        try (var logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                for (String line : Files.readAllLines(log)) {
                    if (line.contains("outbox")) {
                        out.append(log.getFileName()).append(": ").append(line).append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    /** Waits until {@code node} holds a live lease on some outbox row (a send in flight). */
    private static void waitForLeases(GatewayNodes nodes, String node) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (nodes.count("SELECT count(*) FROM outbox WHERE leased_by = '" + node + "' AND leased_until > now()") == 0) {
            assertTrue(System.nanoTime() < until, node + " never held a leased row under load");
            Thread.sleep(5);
        }
    }

    /** The ids of the outbox rows {@code node} holds a lease on. */
    private Set<String> leasedBy(GatewayNodes nodes, String node) throws Exception {
        Set<String> ids = new java.util.HashSet<>();
        try (Connection c = pg.connect(); var s = c.prepareStatement("SELECT id FROM outbox WHERE leased_by = ?")) {
            s.setString(1, node);
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    private static void waitForAnswers(Set<String> answered, int atLeast) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (answered.size() < atLeast && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertTrue(answered.size() >= atLeast, "the load stalled at " + answered.size() + " answers");
    }
}
