package uk.wycps.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static uk.wycps.gateway.support.Answers.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import uk.wycps.gateway.durable.Postgres;
import uk.wycps.gateway.outbox.OutboxMessage;
import uk.wycps.gateway.support.GatewayNodes;
import uk.wycps.gateway.support.TestIssuer;
import uk.wycps.gateway.support.TestPostgres;
import uk.wycps.connector.RegisterSettings;
import java.net.URI;
import uk.wycps.record.EnquiryHistoryEntry;

/**
 * The PostgreSQL audit (issue 20; H1, H2, H4) against a real PostgreSQL: several writers (here
 * two pools, as two nodes would be) make one unbroken chain with each seq once; an entry and its
 * notifications are written together or not at all; a changed row is caught; retention empties
 * expired entries under a signed marker and the chain still verifies.
 */
@ExtendWith(VertxExtension.class)
class PostgresAuditTest {

    private static TestPostgres pg;
    private static Postgres database;

    @TempDir
    Path keys;

    @BeforeAll
    static void createDatabase() throws Exception {
        pg = TestPostgres.create(PostgresAuditTest.class);
        database = Postgres.of(pg.uri, pg.user, pg.passwordFile);
        database.migrate();
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void emptyTables() throws Exception {
        sql("TRUNCATE audit_entry, outbox", "UPDATE audit_head SET seq = 0, hash = repeat('0', 64), since_checkpoint = 0");
    }

    private static void sql(String... statements) throws Exception {
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static long count(String query) throws Exception {
        try (Connection c = pg.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private AuditVerifier.Result verify() throws Exception {
        try (Connection c = pg.connect()) {
            return PostgresAuditLog.verify(c, AuditKeys.verifier(Files.readString(keys.resolve(AuditKeys.PUBLIC_FILE))),
                    List.of());
        }
    }

    @Test
    void twoWritersAtOnceMakeOneUnbrokenChainWithACheckpointEveryTenEntries(Vertx vertx) throws Exception {
        AuditKeys.Signer signer = AuditKeys.loadOrCreate(keys);
        Pool a = database.pool(vertx);
        Pool b = database.pool(vertx);
        List<String> registers = List.of("leeds", "bradford");
        PostgresAuditSink nodeA = await(PostgresAuditSink.open(vertx, a, signer, 10, registers, "a"));
        PostgresAuditSink nodeB = await(PostgresAuditSink.open(vertx, b, signer, 10, registers, "b"));
        try {
            // WHEN two nodes append 100 entries each, all at once
            List<Future<Void>> appends = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                appends.add((i % 2 == 0 ? nodeA : nodeB).append(AuditEntries.answered(i)));
            }
            await(Future.all(appends));
            // THEN the chain verifies whole: 200 entries, 20 signed checkpoints, no seq twice or missing
            AuditVerifier.Result result = verify();
            assertTrue(result.intact(), result.toString());
            assertEquals(200, result.entries());
            assertEquals(20, result.checkpoints());
            assertEquals(100, count("SELECT count(*) FROM audit_entry WHERE node = 'a' AND kind = 'enquiry'"));
            // AND every checkpoint is in the outbox for every register, written with it
            assertEquals(40, count("SELECT count(*) FROM outbox WHERE kind = 'CHECKPOINT'"));
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void anEntryAndItsNotificationsAreWrittenTogetherOrNotAtAll(Vertx vertx) throws Exception {
        AuditKeys.Signer signer = AuditKeys.loadOrCreate(keys);
        Pool pool = database.pool(vertx);
        PostgresAuditSink sink = await(PostgresAuditSink.open(vertx, pool, signer, 1000, List.of("leeds"), "a"));
        try {
            AuditEntry first = AuditEntries.answered(1);
            OutboxMessage note = OutboxMessage.history("leeds", "LE-000001", history("e-1", first));
            await(sink.append(first, List.of(note), null));
            assertEquals(1, count("SELECT count(*) FROM audit_entry"));
            assertEquals(1, count("SELECT count(*) FROM outbox"));
            // GIVEN an entry the database refuses (its enquiry is already audited)
            AuditEntry again = AuditEntries.answered(1);
            OutboxMessage other = OutboxMessage.history("leeds", "LE-000002", history("e-2", again));
            // WHEN the append fails THEN neither the entry nor its notification is there (H1, H3)
            assertTrue(sink.append(again, List.of(other), null).toCompletionStage().toCompletableFuture()
                    .handle((v, e) -> e != null).get(30, TimeUnit.SECONDS), "a second entry for one enquiry is refused");
            assertEquals(1, count("SELECT count(*) FROM audit_entry"));
            assertEquals(0, count("SELECT count(*) FROM outbox WHERE id = 'e-2'"));
            // AND the chain carries on unbroken afterwards
            await(sink.append(AuditEntries.answered(2), List.of(), null));
            AuditVerifier.Result result = verify();
            assertTrue(result.intact(), result.toString());
            assertEquals(2, result.entries());
        } finally {
            pool.close();
        }
    }

    private static EnquiryHistoryEntry history(String id, AuditEntry entry) {
        return new EnquiryHistoryEntry(id, entry.enquiryId(), entry.at(), "worker", "child-worker",
                "social-services", "leeds", "register-check", "not-sought");
    }

    @Test
    void anEntryChangedOrRemovedInTheDatabaseIsCaught(Vertx vertx) throws Exception {
        AuditKeys.Signer signer = AuditKeys.loadOrCreate(keys);
        Pool pool = database.pool(vertx);
        PostgresAuditSink sink = await(PostgresAuditSink.open(vertx, pool, signer, 1000, List.of(), "a"));
        try {
            for (int i = 0; i < 5; i++) {
                await(sink.append(AuditEntries.answered(i)));
            }
        } finally {
            pool.close();
        }
        assertTrue(verify().intact());
        sql("UPDATE audit_entry SET entry = replace(entry, 'Aisha', 'Ayesha') WHERE seq = 3");
        AuditVerifier.Result changed = verify();
        assertFalse(changed.intact());
        assertEquals(3, changed.firstBadEntry(), changed.toString());
        sql("DELETE FROM audit_entry WHERE seq = 3");
        AuditVerifier.Result removed = verify();
        assertFalse(removed.intact());
        assertEquals(3, removed.firstBadEntry(), removed.toString());
        // AND entries removed at the end (the chain before them is whole) are caught by the head
        sql("UPDATE audit_entry SET entry = replace(entry, 'Ayesha', 'Aisha') WHERE seq = 3");
        sql("DELETE FROM audit_entry WHERE seq >= 3");
        AuditVerifier.Result truncated = verify();
        assertFalse(truncated.intact(), truncated.toString());
        assertEquals(3, truncated.firstBadEntry(), truncated.toString());
    }

    @Test
    void retentionEmptiesOnlyExpiredEntriesUnderASignedMarkerAndTheChainStillVerifies(Vertx vertx) throws Exception {
        AuditKeys.Signer signer = AuditKeys.loadOrCreate(keys);
        Instant now = Instant.now();
        Pool pool = database.pool(vertx);
        PostgresAuditSink sink = await(PostgresAuditSink.open(vertx, pool, signer, 1000, List.of(), "a"));
        try {
            for (int i = 0; i < 6; i++) {
                // three entries ten years old, three from today
                Instant at = i < 3 ? now.minus(Duration.ofDays(3650)) : now;
                await(sink.append(AuditEntries.answered(i, at)));
            }
            long purged;
            try (Connection c = pg.connect()) {
                purged = PostgresAuditLog.purge(c, new AuditPurge(Map.of("leeds", 6 * 365), 7 * 365), 6 * 365, signer, now);
            }
            assertEquals(3, purged);
            assertEquals(3, count("SELECT count(*) FROM audit_entry WHERE kind = 'enquiry' AND entry IS NULL"));
            // AND the nodes carry on appending after the marker
            await(sink.append(AuditEntries.answered(7, now)));
        } finally {
            pool.close();
        }
        assertWholeChain(3, 4, "three kept and one after the purge");
    }

    /** A node's audit on {@code pool}, signing with the test's key. */
    private PostgresAuditSink node(Vertx vertx, Pool pool, String name) throws Exception {
        return await(PostgresAuditSink.open(vertx, pool, AuditKeys.loadOrCreate(keys), 1000, List.of(), name));
    }

    /** The chain verifies, with {@code purged} entries emptied by retention and {@code entries} left. */
    private void assertWholeChain(int purged, int entries, String which) throws Exception {
        AuditVerifier.Result result = verify();
        assertTrue(result.intact(), result.toString());
        assertEquals(purged, result.purged());
        assertEquals(entries, result.entries(), which + ": " + result);
    }

    /**
     * Verifies that a purge finds the expired entries without holding the chain's head, so that
     * the nodes go on appending while it reads a large log (the head was held from the start of
     * the scan: every enquiry waited for it); and that entries another purge emptied meanwhile
     * are named in one marker only.
     */
    @Test
    void aPurgeFindsExpiredEntriesWhileTheNodesAppendAndNamesEachEmptiedEntryOnce(Vertx vertx) throws Exception {
        AuditKeys.Signer signer = AuditKeys.loadOrCreate(keys);
        Instant now = Instant.now();
        AuditPurge rule = new AuditPurge(Map.of("leeds", 6 * 365), 7 * 365);
        Pool pool = database.pool(vertx);
        PostgresAuditSink sink = await(PostgresAuditSink.open(vertx, pool, signer, 1000, List.of(), "a"));
        try {
            for (int i = 0; i < 4; i++) {
                await(sink.append(AuditEntries.answered(i, i < 3 ? now.minus(Duration.ofDays(3650)) : now)));
            }
            try (Connection c = pg.connect()) {
                // GIVEN a purge that has found the expired entries, its transaction still open
                c.setAutoCommit(false);
                List<Long> expired = PostgresAuditLog.expired(c, rule, 6 * 365, now);
                assertEquals(3, expired.size());
                // WHEN a node appends meanwhile, THEN it is not held up (it would wait for the head)
                await(sink.append(AuditEntries.answered(4, now)).timeout(10, TimeUnit.SECONDS));
                c.commit();
                // AND the purge empties them under one marker; a second purge of the same finds
                // them emptied and appends no marker
                assertEquals(3, PostgresAuditLog.empty(c, expired, signer, now));
                assertEquals(0, PostgresAuditLog.empty(c, expired, signer, now));
            }
            await(sink.append(AuditEntries.answered(5, now)));
        } finally {
            pool.close();
        }
        assertEquals(1, count("SELECT count(*) FROM audit_entry WHERE kind = 'purge'"));
        assertWholeChain(3, 3, "one kept, one appended during the purge, one after");
    }

    /**
     * Verifies the shared audit's part in resuming the withheld searches a lost node left (A9,
     * H3): an answer that withheld a register and has no second entry is found by any node; one
     * node alone may claim it (two resuming at once would tell the register twice, and the second
     * entry's unique (enquiry, result) would fail the later node's whole batch); once its second
     * entry is written it is found no more.
     */
    @Test
    void anAnswerLeftUnsearchedIsFoundByEveryNodeAndClaimedByOne(Vertx vertx) throws Exception {
        Pool pool = database.pool(vertx);
        PostgresAuditSink a = node(vertx, pool, "a");
        PostgresAuditSink b = node(vertx, pool, "b");
        Instant now = Instant.now();
        try {
            AuditEntry plain = AuditEntries.answered(1, now.minus(Duration.ofMinutes(3)));
            AuditEntry answered = new AuditEntry("enquiry-lost", plain.at(), plain.correlationId(), plain.caller(),
                    AuditEntry.ANSWERED, plain.purpose(), plain.justification(), plain.consent(), plain.criteria(),
                    List.of(new AuditEntry.RegisterAnswer("leeds", "OK"), new AuditEntry.RegisterAnswer("bradford", "WITHHELD")),
                    plain.released(), List.of(), plain.policy());
            await(a.append(plain));
            await(a.append(answered));
            Instant from = now.minus(Duration.ofDays(1));
            Instant to = now.minus(Duration.ofMinutes(2));
            // every node finds it, and no answer that withheld nothing
            for (PostgresAuditSink node : List.of(a, b)) {
                List<AuditEntry> found = await(node.withheldNotSearched(from, to));
                assertEquals(List.of("enquiry-lost"), found.stream().map(AuditEntry::enquiryId).toList());
                assertEquals(List.of("bradford"), found.get(0).withheldRegisters());
                assertEquals(answered.criteria(), found.get(0).criteria());
                assertEquals(answered.caller(), found.get(0).caller());
            }
            // one node alone claims it
            assertTrue(await(b.claimWithheldSearch("enquiry-lost")));
            assertFalse(await(a.claimWithheldSearch("enquiry-lost")));
            assertFalse(await(b.claimWithheldSearch("enquiry-lost")));
            // its second entry written, it is found no more
            await(b.append(new AuditEntry("enquiry-lost", answered.at(), answered.correlationId(), answered.caller(),
                    AuditEntry.WITHHELD_SEARCHED, answered.purpose(), answered.justification(), answered.consent(),
                    answered.criteria(), List.of(new AuditEntry.RegisterAnswer("bradford", "WITHHELD(OK)")), List.of(),
                    List.of(), answered.policy())));
            assertEquals(List.of(), await(a.withheldNotSearched(from, to)));
        } finally {
            pool.close();
        }
    }

    /**
     * Verifies that answers left unsearched are all found however many there are, page after
     * page (the first query took the oldest thousand answers of the window, most of them having
     * withheld nothing, so a lost one could wait days or never be found).
     */
    @Test
    void everyAnswerLeftUnsearchedIsFoundPastTheFirstPage(Vertx vertx) throws Exception {
        Pool pool = database.pool(vertx);
        PostgresAuditSink sink = node(vertx, pool, "a");
        Instant at = Instant.now().minus(Duration.ofMinutes(3));
        try {
            List<Future<Void>> appends = new ArrayList<>();
            for (int i = 0; i < 1800; i++) {
                AuditEntry plain = AuditEntries.answered(i, at);
                // one answer in three withheld Bradford: 600, more than a page
                List<AuditEntry.RegisterAnswer> registers = i % 3 == 0
                        ? List.of(new AuditEntry.RegisterAnswer("leeds", "OK"), new AuditEntry.RegisterAnswer("bradford", "WITHHELD"))
                        : plain.registers();
                appends.add(sink.append(new AuditEntry(plain.enquiryId(), at, plain.correlationId(), plain.caller(),
                        AuditEntry.ANSWERED, plain.purpose(), plain.justification(), plain.consent(), plain.criteria(),
                        registers, plain.released(), List.of(), plain.policy())));
            }
            await(Future.all(appends));
            List<AuditEntry> found = await(sink.withheldNotSearched(at.minusSeconds(60), at.plusSeconds(60)));
            assertEquals(600, found.size());
            assertTrue(found.stream().allMatch(e -> e.withheldRegisters().equals(List.of("bradford"))));
        } finally {
            pool.close();
        }
    }

    @Test
    void theCommandsPurgeAndVerifyTheDatabaseAndSayWhenItIsBroken(Vertx vertx) throws Exception {
        // GIVEN a configuration of nodes on this database, and entries two of which are ten years old
        GatewayNodes nodes = new GatewayNodes(keys, pg, new TestIssuer(vertx),
                List.of(RegisterSettings.of("leeds", "canonical-json", URI.create("http://127.0.0.1:9"))), 1000, 30);
        Path config = nodes.config("cli");
        AuditKeys.Signer signer = AuditKeys.loadOrCreate(keys);
        Pool pool = database.pool(vertx);
        PostgresAuditSink sink = await(PostgresAuditSink.open(vertx, pool, signer, 1000, List.of(), "a"));
        try {
            for (int i = 0; i < 5; i++) {
                await(sink.append(AuditEntries.answered(i, i < 2 ? Instant.now().minus(Duration.ofDays(3650))
                        : Instant.now())));
            }
        } finally {
            pool.close();
        }
        String[] verify = {"verify-audit", "--postgres", pg.uri, "--user", pg.user, "--password-file",
                pg.passwordFile.toString(), "--public-key", nodes.publicKey().toString()};
        // WHEN purge-audit runs with the configuration (its retention: 7 years by default)
        assertEquals(0, cli("purge-audit", "--config", config.toString()));
        // THEN the two old entries are emptied and verify-audit --postgres passes
        assertEquals(2, count("SELECT count(*) FROM audit_entry WHERE entry IS NULL"));
        assertEquals(0, cli(verify));
        // AND once a row is changed it fails (exit 1); without the public key it refuses (exit 2)
        sql("UPDATE audit_entry SET entry = replace(entry, 'Khan', 'Kahn') WHERE seq = 4");
        assertEquals(1, cli(verify));
        assertEquals(2, cli("verify-audit", "--postgres", pg.uri, "--user", pg.user, "--password-file",
                pg.passwordFile.toString()));
    }

    /**
     * Verifies that {@code verify-audit --postgres --answer-key} checks the registers' signed
     * answers kept in the database, as it does for the file log: the right key passes (exit 0),
     * another key fails (exit 1). It was ignored with {@code --postgres}, and the command passed.
     */
    @Test
    void theVerifyCommandChecksSignedAnswersInTheDatabase(Vertx vertx) throws Exception {
        GatewayNodes nodes = new GatewayNodes(keys, pg, new TestIssuer(vertx),
                List.of(RegisterSettings.of("leeds", "canonical-json", URI.create("http://127.0.0.1:9"))), 1000, 30);
        java.security.KeyPairGenerator ec = java.security.KeyPairGenerator.getInstance("EC");
        ec.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair leeds = ec.generateKeyPair();
        java.security.KeyPair other = ec.generateKeyPair();
        String request = uk.wycps.connector.proof.AnswerSignature.requestDigest("POST", "/search", "n-1",
                "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String body = uk.wycps.connector.proof.AnswerSignature.bodyDigest(
                "{\"records\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String signature = uk.wycps.connector.proof.AnswerSignature.sign(leeds.getPrivate(),
                new uk.wycps.connector.proof.AnswerSignature.Claims("leeds", request, body, 0));
        AuditEntry base = AuditEntries.answered(1);
        AuditEntry signed = new AuditEntry(base.enquiryId(), base.at(), base.correlationId(), base.caller(), base.result(),
                base.purpose(), base.justification(), base.consent(), base.criteria(),
                List.of(new AuditEntry.RegisterAnswer("leeds", "OK",
                        new uk.wycps.connector.proof.AnswerProof(request, body, signature))),
                base.released(), base.notified(), base.policy());
        Pool pool = database.pool(vertx);
        PostgresAuditSink sink = await(PostgresAuditSink.open(vertx, pool, AuditKeys.loadOrCreate(keys), 1000,
                List.of(), "a"));
        try {
            await(sink.append(signed));
        } finally {
            pool.close();
        }
        Path leedsKey = keys.resolve("leeds-answers.pem");
        Path otherKey = keys.resolve("other-answers.pem");
        Files.writeString(leedsKey, uk.wycps.connector.proof.AnswerSignature.pem("PUBLIC KEY", leeds.getPublic().getEncoded()));
        Files.writeString(otherKey, uk.wycps.connector.proof.AnswerSignature.pem("PUBLIC KEY", other.getPublic().getEncoded()));
        String[] verify = {"verify-audit", "--postgres", pg.uri, "--user", pg.user, "--password-file",
                pg.passwordFile.toString(), "--public-key", nodes.publicKey().toString(), "--answer-key"};
        assertEquals(0, cli(concat(verify, "leeds=" + leedsKey)));
        assertEquals(1, cli(concat(verify, "leeds=" + otherKey)));
    }

    private static String[] concat(String[] head, String last) {
        String[] all = java.util.Arrays.copyOf(head, head.length + 1);
        all[head.length] = last;
        return all;
    }

    private static int cli(String... args) {
        return new picocli.CommandLine(new uk.wycps.gateway.GatewayMain()).execute(args);
    }
}
