package uk.wycps.connector.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.record.SearchCriteria;
import uk.wycps.connector.SearchRequest;
import uk.wycps.record.Address;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.ConcernCategory;
import uk.wycps.record.Gender;
import uk.wycps.record.Registration;

/** The {@code sql-jdbc} connector against an embedded H2 database of its own. */
public class SqlConnectorTest {

    public static String ethnicity(String value) {
        return value;
    }

    public static int slow(int ms) throws InterruptedException {
        Thread.sleep(ms);
        return 1;
    }

    private Vertx vertx;
    private String url;
    private Connection admin;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        url = "jdbc:h2:mem:sqltest_" + UUID.randomUUID().toString().replace("-", "");
        admin = DriverManager.getConnection(url + ";DB_CLOSE_DELAY=-1", "sa", "");
        try (Statement s = admin.createStatement()) {
            s.execute("CREATE TABLE kid (id VARCHAR(16) PRIMARY KEY, forename VARCHAR(50), surname VARCHAR(50), dob DATE, "
                    + "sex CHAR(1), street VARCHAR(50), pc VARCHAR(10), cat CHAR(1), reg_from DATE, eth VARCHAR(50), langs JSON, "
                    + "hidden BOOLEAN)");
            s.execute("INSERT INTO kid VALUES ('LE-1', 'Aisha', 'Khan', DATE '2016-03-09', 'F', '1 Mill Lane', 'LS1 1AA', 'N', "
                    + "DATE '2021-02-01', 'Pakistani', JSON '[\"Urdu\",\"English\"]', TRUE), "
                    + "('LE-2', 'Sean', 'O''Brien', DATE '2015-01-02', 'Q', NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
            s.execute("CREATE ALIAS ETH FOR \"" + SqlConnectorTest.class.getName() + ".ethnicity\"");
            s.execute("CREATE ALIAS SLOW FOR \"" + SqlConnectorTest.class.getName() + ".slow\"");
            s.execute("CREATE VIEW kid_view AS SELECT k.*, ETH(k.eth) AS ethnicity FROM kid k");
            s.execute("CREATE USER reader PASSWORD 'r'");
            s.execute("GRANT SELECT ON kid_view TO reader");
        }
    }

    @AfterEach
    void stop() throws Exception {
        try (Statement s = admin.createStatement()) {
            s.execute("SHUTDOWN");
        }
        vertx.close().await(10, TimeUnit.SECONDS);
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
                        .put("ethnicity", "v.ethnicity").put("shielded", "v.hidden"))
                .put("codes", new JsonObject()
                        .put("gender", new JsonObject().put("F", "female").put("M", "male").put("U", "unknown"))
                        .put("concernCategory", new JsonObject().put("N", "neglect").put("P", "physical-abuse")));
    }

    private RegisterConnector connector(JsonObject options) {
        return new SqlConnector(vertx, new RegisterSettings("leeds", "sql-jdbc", URI.create(url), Duration.ofMillis(2000),
                4, 16, 1 << 20, options));
    }

    private static SearchRequest request(String family, LocalDate dob, Set<String> fields, long deadlineMs) {
        return new SearchRequest(new SearchCriteria(null, family, null, null, dob, null, null), fields,
                Deadline.afterMillis(deadlineMs), "e-1");
    }

    private static RegisterFailure failure(Future<?> f) throws Exception {
        Throwable t = f.transform(ar -> Future.succeededFuture(ar.failed() ? ar.cause() : null)).await(10, TimeUnit.SECONDS);
        assertTrue(t instanceof RegisterFailure, "expected a RegisterFailure, got " + t);
        return (RegisterFailure) t;
    }

    /** Verifies that rows become canonical records, flat columns become nested records, codes are mapped. */
    @Test
    void mapsRowsToCanonicalRecords() throws Exception {
        RegisterConnector c = connector(options());
        List<ChildRecord> found = c.search(request("Khan", LocalDate.of(2016, 3, 9), Set.of("givenName", "familyName",
                "dateOfBirth", "gender", "languages", "address", "registration"), 2000)).await(10, TimeUnit.SECONDS);
        assertEquals(List.of(new ChildRecord("LE-1", "Aisha", "Khan", null, LocalDate.of(2016, 3, 9), Gender.FEMALE,
                List.of("Urdu", "English"), new Address("1 Mill Lane", null, "LS1 1AA", null), null, null, null,
                new Registration(null, ConcernCategory.NEGLECT, LocalDate.of(2021, 2, 1), null), null, null, null, null,
                null, null, null, null, null, null)), found);
        c.close();
    }

    /** Verifies that the shielded column becomes the record's mark (A10), and that a mapping with an address but no mark is refused. */
    @Test
    void theShieldedColumnMarksTheRecordAndAMappingWithoutItIsRefused() throws Exception {
        RegisterConnector c = connector(options());
        assertTrue(c.search(request("Khan", null, Set.of("shielded", "address"), 2000)).await(10, TimeUnit.SECONDS)
                .get(0).shieldedByOwner());
        assertFalse(c.search(request("O'Brien", null, Set.of("shielded", "address"), 2000)).await(10, TimeUnit.SECONDS)
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

    /** Verifies that a slow query fails with TIMEOUT at the deadline and never blocks the event loop. */
    @Test
    void aSlowQueryTimesOutWithoutBlockingTheEventLoop() throws Exception {
        JsonObject slow = options().put("query",
                "SELECT {columns} FROM kid_view v WHERE SLOW(3000) = 1 AND v.surname = ? AND (? IS NULL OR v.dob = ?)");
        RegisterConnector c = connector(slow);
        AtomicLong worstLag = new AtomicLong();
        long[] last = {System.nanoTime()};
        long timer = vertx.setPeriodic(10, id -> {
            long now = System.nanoTime();
            worstLag.accumulateAndGet((now - last[0]) / 1_000_000 - 10, Math::max);
            last[0] = now;
        });
        long t0 = System.nanoTime();
        RegisterFailure f = vertx.getOrCreateContext().<RegisterFailure>executeBlocking(() -> null)
                .transform(v -> Future.succeededFuture(c.search(request("Khan", null, Set.of("givenName"), 300))))
                .compose(search -> search.transform(ar -> Future.succeededFuture((RegisterFailure) ar.cause())))
                .await(10, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        vertx.cancelTimer(timer);
        assertEquals(RegisterFailure.Kind.TIMEOUT, f.kind());
        assertTrue(ms < 1500, "failed at the deadline; took " + ms + " ms");
        assertTrue(worstLag.get() < 200, "event loop lag " + worstLag.get() + " ms");
        c.close();
    }

    /** Verifies that an unreachable database is UNAVAILABLE, not an empty match. */
    @Test
    void anUnreachableDatabaseIsUnavailable() throws Exception {
        RegisterConnector c = new SqlConnector(vertx, new RegisterSettings("leeds", "sql-jdbc",
                URI.create("jdbc:h2:tcp://127.0.0.1:1/mem:nothing"), Duration.ofMillis(2000), 4, 16, 1 << 20, options()));
        assertEquals(RegisterFailure.Kind.UNAVAILABLE, failure(c.search(request("Khan", null, Set.of("givenName"), 2000))).kind());
        c.close();
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
