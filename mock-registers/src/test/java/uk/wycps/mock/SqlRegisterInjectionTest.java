package uk.wycps.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.record.SearchCriteria;
import uk.wycps.connector.SearchRequest;
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.ChildRecord;

/**
 * The SQL register (leeds, {@code sql-jdbc}) searched with SQL metacharacters and quotes in the
 * names: the right child or none is found, exactly as the register's own pre-filter finds for
 * that literal name, and nothing in the database changes. The gateway's reader cannot write.
 */
@ExtendWith(VertxExtension.class)
class SqlRegisterInjectionTest {

    private static MockFederation federation;
    private static MockRegister leeds;

    @BeforeAll
    static void start(Vertx vertx, VertxTestContext ctx) {
        MockRegisters.start(vertx, MockOptions.defaults().withAuthorityDialects().withChildrenPerRegister(500).withOnly("leeds", 0))
                .onComplete(ctx.succeeding(f -> {
                    federation = f;
                    leeds = f.register("leeds");
                    ctx.completeNow();
                }));
    }

    @AfterAll
    static void stop(VertxTestContext ctx) {
        federation.close().onComplete(ctx.succeedingThenComplete());
    }

    private static List<ChildRecord> search(RegisterConnector c, SearchCriteria criteria) throws Exception {
        return c.search(new SearchRequest(criteria, CanonicalFields.all(), Deadline.afterMillis(5000), "e-sql"))
                .await(10, TimeUnit.SECONDS);
    }

    /** Verifies that a name with a quote finds its child: the quote is data, not SQL. */
    @Test
    void aQuoteInARealNameFindsTheRightChild(Vertx vertx) throws Exception {
        assertEquals(MockDialects.SQL, leeds.dialect());
        ChildRecord obrien = leeds.records().stream().filter(r -> r.familyName().contains("'")).findFirst().orElseThrow();
        RegisterConnector c = ConnectorRegistry.load().create(vertx, leeds.connectorSettings());
        try {
            List<ChildRecord> found = search(c, new SearchCriteria(obrien.givenName(), obrien.familyName(), null, null,
                    obrien.dateOfBirth(), null, null));
            assertEquals(obrien.recordId(), found.get(0).recordId());
            assertEquals(DialectRegistersTest.normalise(leeds.record(obrien.recordId()).orElseThrow()),
                    DialectRegistersTest.normalise(found.get(0)));
        } finally {
            c.close();
        }
    }

    /** Verifies that injection attempts find what the literal name finds (or nothing) and change nothing. */
    @Test
    void metacharactersFindTheLiteralNameOrNoneAndChangeNothing(Vertx vertx) throws Exception {
        ChildRecord child = leeds.records().get(10);
        String before = leeds.sqlContentDigest();
        List<String> attacks = List.of(
                "x' OR '1'='1",
                child.familyName() + "' OR '1'='1' --",
                "'; DROP TABLE child; --",
                "Robert'); DELETE FROM enquiry_history; --",
                "' UNION SELECT record_id, 0 FROM child --",
                child.familyName() + "\"; UPDATE child SET given_name = 'x'; --",
                "%", "_", "\\", "/*", "*/ OR 1=1 /*", "0x27", "'' OR ''='",
                child.familyName() + "'");
        RegisterConnector c = ConnectorRegistry.load().create(vertx, leeds.connectorSettings());
        try {
            for (String name : attacks) {
                for (SearchCriteria criteria : List.of(
                        new SearchCriteria(child.givenName(), name, null, null, child.dateOfBirth(), null, null),
                        new SearchCriteria(name, child.familyName(), null, null, null, null, name))) {
                    List<String> found = search(c, criteria).stream().map(ChildRecord::recordId).toList();
                    List<String> literal = leeds.search(criteria).stream().map(ChildRecord::recordId).toList();
                    assertEquals(literal, found, "the name is searched as a literal: " + name);
                    assertTrue(found.size() < leeds.records().size(), "never the whole register: " + name);
                }
            }
            assertEquals(before, leeds.sqlContentDigest(), "nothing changed in the register");
            assertEquals(child.givenName(), leeds.record(child.recordId()).orElseThrow().givenName());
        } finally {
            c.close();
        }
    }

    /** Verifies that the gateway's reader account can read the view and nothing else, and write nothing. */
    @Test
    void theReaderCannotWrite() throws Exception {
        String url = leeds.connectorSettings().baseUrl().toString();
        try (Connection reader = DriverManager.getConnection(url, SqlRegister.READER, SqlRegister.READER_PASSWORD)) {
            reader.setReadOnly(true);
            for (String sql : List.of("DELETE FROM child", "UPDATE child SET given_name = 'x'", "DROP TABLE child",
                    "INSERT INTO enquiry_history (entry_id, record_id) VALUES ('x', 'LE-000001')", "SELECT * FROM child",
                    "CREATE TABLE t (x INT)")) {
                assertThrows(SQLException.class, () -> reader.createStatement().execute(sql), sql);
            }
        }
    }
}
