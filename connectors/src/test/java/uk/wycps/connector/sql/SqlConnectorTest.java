package uk.wycps.connector.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RecordIds;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.SearchRequest;
import uk.wycps.connector.dialects.DialectContract;
import uk.wycps.connector.statistics.RegisterStatistics;
import uk.wycps.record.Address;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.ConcernCategory;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.Gender;
import uk.wycps.record.Registration;
import uk.wycps.record.Relationship;
import uk.wycps.record.SearchCriteria;

/** The {@code sql-jdbc} connector against an embedded H2 database of its own. */
public class SqlConnectorTest extends DialectContract {

    private static final String LE_1 = "('LE-1', 'Aisha', 'Khan', DATE '2016-03-09', 'F', '1 Mill Lane', 'LS1 1AA', 'N', "
            + "DATE '2021-02-01', 'Pakistani', JSON '[\"Urdu\",\"English\"]', "
            + "JSON '[{\"name\":\"Sara Khan\",\"relationship\":\"mother\",\"concernIndicator\":false,\"scheduleOneIndicator\":true}]', NULL)";
    private static final String LE_2 = "('LE-2', 'Sean', 'O''Brien', DATE '2015-01-02', 'Q', NULL, NULL, NULL, NULL, NULL, NULL, NULL, TRUE)";

    public static String ethnicity(String value) {
        return value;
    }

    /** Counted down when a query reaches {@link #hold()}. */
    private static volatile CountDownLatch held = new CountDownLatch(0);
    /** What {@link #hold()} waits for: the test lets the query go. */
    private static volatile CountDownLatch release = new CountDownLatch(0);
    /** True once a query has come back out of {@link #hold()}. */
    private static final AtomicBoolean released = new AtomicBoolean();

    /**
     * A query that runs until the test lets it go (at most 30 s, so that a failing test cannot
     * hold the database for ever): a slow register whose slowness the test controls.
     */
    public static int hold() throws InterruptedException {
        held.countDown();
        release.await(30, TimeUnit.SECONDS);
        released.set(true);
        return 1;
    }

    private String url;
    private Connection admin;

    @Override
    protected void startRegister() throws Exception {
        url = "jdbc:h2:mem:sqltest_" + UUID.randomUUID().toString().replace("-", "");
        admin = DriverManager.getConnection(url + ";DB_CLOSE_DELAY=-1", "sa", "");
        try (Statement s = admin.createStatement()) {
            s.execute("CREATE TABLE kid (id VARCHAR(100) PRIMARY KEY, forename VARCHAR(50), surname VARCHAR(50), dob DATE, "
                    + "sex CHAR(1), street VARCHAR(50), pc VARCHAR(10), cat CHAR(1), reg_from DATE, eth VARCHAR(50), langs JSON, "
                    + "family JSON, hidden BOOLEAN)");
            s.execute("INSERT INTO kid VALUES " + LE_1 + ", " + LE_2);
            s.execute("CREATE ALIAS ETH FOR \"" + SqlConnectorTest.class.getName() + ".ethnicity\"");
            s.execute("CREATE ALIAS HOLD FOR \"" + SqlConnectorTest.class.getName() + ".hold\"");
            s.execute("CREATE VIEW kid_view AS SELECT k.*, ETH(k.eth) AS ethnicity FROM kid k");
            s.execute("CREATE TABLE enquiry (entry_id VARCHAR(128) PRIMARY KEY, record_id VARCHAR(100), subject VARCHAR(50), "
                    + "at VARCHAR(40))");
            s.execute("CREATE TABLE checkpoint (idx BIGINT PRIMARY KEY, head VARCHAR(200), at VARCHAR(40), key_id VARCHAR(200), "
                    + "signature VARCHAR(2000))");
            s.execute("CREATE TABLE stats (as_of DATE, tbl VARCHAR(60), rw VARCHAR(60), n BIGINT)");
            s.execute("CREATE USER reader PASSWORD 'r'");
            s.execute("GRANT SELECT ON kid_view TO reader");
            s.execute("GRANT SELECT ON stats TO reader");
            s.execute("CREATE USER writer PASSWORD 'w'");
            s.execute("GRANT SELECT, INSERT ON enquiry TO writer");
            s.execute("GRANT SELECT, INSERT ON checkpoint TO writer");
        }
    }

    @Override
    protected void stopRegister() throws Exception {
        try (Statement s = admin.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private void sql(String... statements) throws Exception {
        try (Statement s = admin.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private JsonObject options() {
        return new JsonObject()
                .put("user", "reader").put("password", "r")
                .put("query", "SELECT {columns} FROM kid_view v WHERE v.surname = ? AND (? IS NULL OR v.dob = ?)")
                .put("parameters", new JsonArray().add("familyName").add("dateOfBirth").add("dateOfBirth"))
                .put("columns", new JsonObject()
                        .put("recordId", "v.id").put("givenName", "v.forename").put("familyName", "v.surname")
                        .put("dateOfBirth", "v.dob").put("gender", "v.sex").put("languages", "v.langs")
                        .put("address", new JsonObject().put("line1", "v.street").put("postcode", "v.pc"))
                        .put("registration", new JsonObject().put("category", "v.cat").put("start", "v.reg_from"))
                        .put("relationships", "v.family")
                        .put("ethnicity", "v.ethnicity").put("shielded", "v.hidden"))
                .put("codes", new JsonObject()
                        .put("gender", new JsonObject().put("F", "female").put("M", "male").put("U", "unknown"))
                        .put("concernCategory", new JsonObject().put("N", "neglect").put("P", "physical-abuse")))
                .put("writerUser", "writer").put("writerPassword", "w")
                .put("enquiryInsert", "INSERT INTO enquiry (entry_id, record_id, subject, at) VALUES (?, ?, ?, ?)")
                .put("enquiryParameters", new JsonArray().add("entryId").add("recordId").add("subject").add("at"))
                .put("checkpointInsert", "INSERT INTO checkpoint (idx, head, at, key_id, signature) VALUES (?, ?, ?, ?, ?)")
                .put("checkpointSelect", "SELECT head, at, key_id, signature FROM checkpoint WHERE idx = ?")
                .put("statisticsQuery", "SELECT tbl, rw, n FROM stats WHERE as_of = ?");
    }

    @Override
    protected RegisterConnector connector() {
        return connector(options());
    }

    private RegisterConnector connector(JsonObject options) {
        return new SqlConnector(vertx, new RegisterSettings("leeds", "sql-jdbc", URI.create(url), Duration.ofMillis(2000),
                4, 16, 1 << 20, options));
    }

    /** LE-1 is Aisha Khan, born on the day searched for. */
    @Override
    protected void registerHoldsTheKnownChild() {
    }

    /** Rows become canonical records, flat columns nested records, JSON columns lists; codes are mapped. */
    @Override
    protected ChildRecord knownChild() {
        return new ChildRecord("LE-1", "Aisha", "Khan", null, LocalDate.of(2016, 3, 9), Gender.FEMALE,
                List.of("Urdu", "English"), new Address("1 Mill Lane", null, "LS1 1AA", null), null, null, null,
                new Registration(null, ConcernCategory.NEGLECT, LocalDate.of(2021, 2, 1), null), null, null, null, null,
                List.of(new Relationship("Sara Khan", "mother", false, true)), null, "Pakistani", null, null, null);
    }

    @Override
    protected void registerHoldsNoCandidate() throws Exception {
        sql("DELETE FROM kid WHERE surname = 'Khan'");
    }

    /** A column is selected only when its field is asked for (A5): the register is not asked for more. */
    @Override
    protected void verifyAskedOnlyFor(Set<String> fields) {
        assertEquals("SELECT v.id, v.forename, v.street, v.pc, v.family FROM kid_view v WHERE v.surname = ? "
                + "AND (? IS NULL OR v.dob = ?)", ((SqlConnector) connector).sqlFor(RecordIds.withRecordId(fields)));
    }

    @Override
    protected Map<String, Step> malformedAnswers() {
        Map<String, Step> answers = new LinkedHashMap<>();
        String reset = "MERGE INTO kid KEY (id) VALUES " + LE_1;
        answers.put("a code outside the list", () -> sql(reset, "UPDATE kid SET sex = 'Q' WHERE id = 'LE-1'"));
        answers.put("a blank record id", () -> sql("DELETE FROM kid WHERE surname = 'Khan'", reset,
                "UPDATE kid SET id = ' ' WHERE id = 'LE-1'"));
        answers.put("a record id longer than any register's", () -> sql("DELETE FROM kid WHERE surname = 'Khan'", reset,
                "UPDATE kid SET id = '" + "L".repeat(65) + "' WHERE id = 'LE-1'"));
        answers.put("a JSON column not in canonical shape", () -> sql("DELETE FROM kid WHERE surname = 'Khan'", reset,
                "UPDATE kid SET langs = JSON '{\"x\": 1}' WHERE id = 'LE-1'"));
        answers.put("more rows than maxRecords", () -> sql("DELETE FROM kid WHERE surname = 'Khan'",
                "INSERT INTO kid (id, forename, surname, dob) SELECT 'LE-X' || X, 'Aisha', 'Khan', DATE '2016-03-09' "
                        + "FROM SYSTEM_RANGE(1, 201)"));
        return answers;
    }

    @Override
    protected void registerKeepsHistory() {
    }

    @Override
    protected void verifyEnquiryRecorded(String recordId, EnquiryHistoryEntry entry) throws Exception {
        try (PreparedStatement ps = admin.prepareStatement("SELECT record_id, subject, at FROM enquiry WHERE entry_id = ?")) {
            ps.setString(1, entry.entryId());
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the entry is held");
                assertEquals(List.of(recordId, entry.subject(), entry.at().toString()),
                        List.of(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
        }
    }

    @Override
    protected void verifyCheckpointKept(AuditCheckpoint checkpoint) throws Exception {
        try (PreparedStatement ps = admin.prepareStatement("SELECT head, at, key_id, signature FROM checkpoint WHERE idx = ?")) {
            ps.setLong(1, checkpoint.index());
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the checkpoint is held");
                assertEquals(checkpoint, new AuditCheckpoint(checkpoint.index(), rs.getString(1), rs.getString(2),
                        rs.getString(3), rs.getString(4)));
            }
        }
    }

    @Override
    protected void registerComputes(RegisterStatistics statistics) throws Exception {
        try (PreparedStatement ps = admin.prepareStatement("INSERT INTO stats VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<String, Map<String, Long>> table : statistics.tables().entrySet()) {
                for (Map.Entry<String, Long> row : table.getValue().entrySet()) {
                    ps.setObject(1, statistics.asOf());
                    ps.setString(2, table.getKey());
                    ps.setString(3, row.getKey());
                    ps.setLong(4, row.getValue());
                    ps.executeUpdate();
                }
            }
        }
    }

    private static SearchRequest request(String family, LocalDate dob, Set<String> fields, long deadlineMs) {
        return new SearchRequest(new SearchCriteria(null, family, null, null, dob, null, null), fields,
                Deadline.afterMillis(deadlineMs), "e-1");
    }

    /** Verifies that the shielded column becomes the record's mark (A10), and that a mapping with an address but no mark is refused. */
    @Test
    void theShieldedColumnMarksTheRecordAndAMappingWithoutItIsRefused() throws Exception {
        RegisterConnector c = connector(options());
        assertTrue(c.search(request("O'Brien", null, Set.of("shielded", "address"), 2000)).await(10, TimeUnit.SECONDS)
                .get(0).shieldedByOwner());
        assertFalse(c.search(request("Khan", null, Set.of("shielded", "address"), 2000)).await(10, TimeUnit.SECONDS)
                .get(0).shieldedByOwner());
        c.close();
        JsonObject unmarked = options();
        unmarked.getJsonObject("columns").remove("shielded");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> connector(unmarked));
        assertTrue(e.getMessage().contains("maps a location field but not shielded"), e.getMessage());
    }

    /** Verifies that a column is selected only when its field is asked for (A5): the register is not asked for more. */
    @Test
    void selectsOnlyTheRequestedColumns() throws Exception {
        SqlConnector c = (SqlConnector) connector(options());
        assertEquals("SELECT v.id, v.forename, v.street, v.pc FROM kid_view v WHERE v.surname = ? AND (? IS NULL OR v.dob = ?)",
                c.sqlFor(Set.of("recordId", "givenName", "address")));
        ChildRecord r = c.search(request("Khan", null, Set.of("givenName"), 2000)).await(10, TimeUnit.SECONDS).get(0);
        assertEquals(new ChildRecord("LE-1", "Aisha", null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null), r);
        assertEquals("Pakistani", c.search(request("Khan", null, Set.of("ethnicity"), 2000)).await(10, TimeUnit.SECONDS)
                .get(0).ethnicity());
        c.close();
    }

    /** Verifies that a quote in the name is bound, not concatenated, and a code outside the list is an ERROR. */
    @Test
    void quotesAreDataAndUnknownCodesAreErrors() throws Exception {
        RegisterConnector c = connector(options());
        assertEquals(List.of(), c.search(request("x' OR '1'='1", null, Set.of("givenName"), 2000)).await(10, TimeUnit.SECONDS));
        assertEquals("LE-2", c.search(request("O'Brien", null, Set.of("givenName"), 2000)).await(10, TimeUnit.SECONDS)
                .get(0).recordId());
        assertEquals(RegisterFailure.Kind.ERROR, failure(c.search(request("O'Brien", null, Set.of("gender"), 2000))).kind(),
                "sex 'Q' is outside the code list");
        c.close();
    }

    /**
     * Verifies that a query still running at the deadline fails with TIMEOUT then, not when the
     * query ends, and that the event loop that asked stays free meanwhile: the query is held in
     * the database until the test lets it go, so only the connector's own timer can end the
     * search, and only an event loop the query does not occupy can run the test's task.
     */
    @Test
    void aSlowQueryTimesOutWithoutBlockingTheEventLoop() throws Exception {
        held = new CountDownLatch(1);
        release = new CountDownLatch(1);
        released.set(false);
        RegisterConnector c = connector(options().put("query",
                "SELECT {columns} FROM kid_view v WHERE HOLD() = 1 AND v.surname = ? AND (? IS NULL OR v.dob = ?)"));
        try {
            Context loop = vertx.getOrCreateContext();
            // GIVEN a search asked from an event loop, as the gateway asks it, with 2 s to answer (time
            // for a loaded machine to bring the query to the database before the deadline)
            Future<RegisterFailure> failed = Future.<Future<List<ChildRecord>>>future(p -> loop.runOnContext(
                            v -> p.complete(c.search(request("Khan", null, Set.of("givenName"), 2000)))))
                    .compose(search -> search.transform(ar -> ar.succeeded()
                            ? Future.failedFuture(new AssertionError("a held query answered: " + ar.result()))
                            : Future.succeededFuture((RegisterFailure) ar.cause())));
            assertTrue(held.await(10, TimeUnit.SECONDS), "the query reached the database");
            // WHEN the query is held in the database, THEN the event loop that asked still runs other work
            assertEquals("free", Future.<String>future(p -> loop.runOnContext(v -> p.complete("free")))
                    .await(10, TimeUnit.SECONDS));
            // AND the search fails with TIMEOUT while the query is still held
            RegisterFailure f = failed.await(10, TimeUnit.SECONDS);
            assertEquals(RegisterFailure.Kind.TIMEOUT, f.kind(), f.getMessage());
            assertFalse(released.get(), "the failure came at the deadline, not when the query ended");
        } finally {
            release.countDown();
            c.close();
        }
    }

    /** Verifies that an unreachable database is UNAVAILABLE, not an empty match. */
    @Test
    void anUnreachableDatabaseIsUnavailable() throws Exception {
        RegisterConnector c = new SqlConnector(vertx, new RegisterSettings("leeds", "sql-jdbc",
                URI.create("jdbc:h2:tcp://127.0.0.1:1/mem:nothing"), Duration.ofMillis(2000), 4, 16, 1 << 20, options()));
        assertEquals(RegisterFailure.Kind.UNAVAILABLE, failure(c.search(request("Khan", null, Set.of("givenName"), 2000))).kind());
        c.close();
    }

    /**
     * Verifies that the reader's and writer's passwords may come from files ({@code passwordFile},
     * {@code writerPasswordFile}; docs/connectors.md's adapter example names one), read when a
     * connection is opened, so that a password changed in its file serves the next connection;
     * and that a file that cannot be read makes the search ERROR, never an empty match (F5).
     */
    @Test
    void passwordsInFilesServeSearchAndHistoryAndAnUnreadableOneIsAnErrorNeverNoRecord() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("sql-secrets");
        java.nio.file.Path reader = dir.resolve("reader-password");
        java.nio.file.Path writer = dir.resolve("writer-password");
        java.nio.file.Files.writeString(reader, "r\n");
        java.nio.file.Files.writeString(writer, "w\n");
        JsonObject files = options();
        files.remove("password");
        files.remove("writerPassword");
        files.put("passwordFile", reader.toString()).put("writerPasswordFile", writer.toString());
        RegisterConnector c = connector(files);
        try {
            // the reader's password from its file finds the child; the writer's records history
            assertEquals("LE-1", c.search(request("Khan", null, Set.of("givenName"), 2000)).await(10, TimeUnit.SECONDS)
                    .get(0).recordId());
            c.recordEnquiry("LE-1", ENTRY, Deadline.after(Duration.ofSeconds(5))).await(10, TimeUnit.SECONDS);
            verifyEnquiryRecorded("LE-1", ENTRY);
            // a wrong password in the file, taken up at the next new connection: an error, not an empty match
            sql("ALTER USER reader SET PASSWORD 'r2'");
            c.close().await(10, TimeUnit.SECONDS);
            c = connector(files);
            assertEquals(RegisterFailure.Kind.ERROR, failure(c.search(request("Khan", null, Set.of("givenName"), 2000)))
                    .kind());
            java.nio.file.Files.writeString(reader, "r2\n");
            assertEquals("LE-1", c.search(request("Khan", null, Set.of("givenName"), 2000)).await(10, TimeUnit.SECONDS)
                    .get(0).recordId());
            // the file gone: an error, not an empty match
            c.close().await(10, TimeUnit.SECONDS);
            java.nio.file.Files.delete(reader);
            c = connector(files);
            assertEquals(RegisterFailure.Kind.ERROR, failure(c.search(request("Khan", null, Set.of("givenName"), 2000)))
                    .kind());
        } finally {
            sql("ALTER USER reader SET PASSWORD 'r'");
            c.close().await(10, TimeUnit.SECONDS);
        }
        // both the password and its file: which one counts would be a guess, so it is refused
        assertThrows(IllegalArgumentException.class, () -> connector(files.copy().put("password", "r")));
    }

    /** Verifies that a configuration that could put anything but column names into the SQL stops start-up (O2). */
    @Test
    void unsafeOrWrongConfigurationStopsStartUp() {
        for (JsonObject bad : List.of(
                options().put("columns", options().getJsonObject("columns").copy().put("givenName", "forename; DROP TABLE kid")),
                options().put("columns", options().getJsonObject("columns").copy().put("shoeSize", "v.shoe")),
                options().put("query", "SELECT * FROM kid_view WHERE surname = ?"),
                options().put("query", "SELECT {columns} FROM kid_view v WHERE v.surname = ?"),
                options().put("parameters", new JsonArray().add("familyName").add("nhsNumber").add("dateOfBirth")),
                options().put("columns", new JsonObject().put("givenName", "v.forename")))) {
            assertThrows(IllegalArgumentException.class, () -> connector(bad), bad.encode());
        }
    }
}
