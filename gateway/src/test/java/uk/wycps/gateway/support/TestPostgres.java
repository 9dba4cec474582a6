package uk.wycps.gateway.support;

import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import uk.wycps.gateway.durable.Postgres;

/**
 * A database of its own for one test class, in the PostgreSQL that {@code scripts/test.sh}
 * starts (WYCPS_TEST_PG_URI, WYCPS_TEST_PG_USER, WYCPS_TEST_PG_PASSWORD_FILE and
 * WYCPS_TEST_PG_ADMIN_PASSWORD_FILE). Created with the superuser and dropped after, so test order
 * never matters. Without those variables a test fails under CI (CI=true) and is skipped, with
 * the reason, otherwise.
 */
public final class TestPostgres implements AutoCloseable {

    public final String uri;
    public final String user;
    public final Path passwordFile;
    public final String database;
    private final String adminUrl;
    private final String adminPassword;

    private TestPostgres(String uri, String user, Path passwordFile, String database, String adminUrl,
            String adminPassword) {
        this.uri = uri;
        this.user = user;
        this.passwordFile = passwordFile;
        this.database = database;
        this.adminUrl = adminUrl;
        this.adminPassword = adminPassword;
    }

    /** A fresh database for {@code owner}'s tests. */
    public static TestPostgres create(Class<?> owner) throws IOException, SQLException {
        String base = System.getenv("WYCPS_TEST_PG_URI");
        if (base == null || base.isBlank()) {
            String why = "PostgreSQL tests need WYCPS_TEST_PG_URI (run scripts/test.sh, or `. scripts/test-services.sh;"
                    + " start_postgres` first)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(why);
            }
            Assumptions.abort(why);
        }
        String user = System.getenv("WYCPS_TEST_PG_USER");
        Path passwordFile = Path.of(System.getenv("WYCPS_TEST_PG_PASSWORD_FILE"));
        String adminPassword = Files.readString(Path.of(System.getenv("WYCPS_TEST_PG_ADMIN_PASSWORD_FILE"))).strip();
        PgConnectOptions o = PgConnectOptions.fromUri(base);
        String adminUrl = "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/postgres";
        String name = ("wycps_" + owner.getSimpleName() + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT);
        TestPostgres db = new TestPostgres("postgresql://" + o.getHost() + ":" + o.getPort() + "/" + name, user,
                passwordFile, name, adminUrl, adminPassword);
        db.admin("CREATE DATABASE " + name + " OWNER " + user);
        return db;
    }

    /** The {@code audit.postgres} configuration of a node called {@code node}. */
    public JsonObject config(String node, int leaseSeconds) {
        return new JsonObject().put("uri", uri).put("user", user).put("passwordFile", passwordFile.toString())
                .put("node", node).put("outboxLeaseSeconds", leaseSeconds);
    }

    /** A connection to this database as the gateway's user. */
    public Connection connect() throws IOException, SQLException {
        return Postgres.of(uri, user, passwordFile).jdbc();
    }

    /** Runs statements as the superuser, in the {@code postgres} database. */
    public void admin(String... sql) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", adminPassword);
        try (Connection c = DriverManager.getConnection(adminUrl, p); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    /** The database goes away for its clients: new connections refused, open ones cut. */
    public void goDown() throws SQLException {
        admin("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
    }

    /** The database comes back. */
    public void comeBack() throws SQLException {
        admin("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
    }

    @Override
    public void close() throws SQLException {
        admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
}
