package uk.wycps.gateway.durable;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The PostgreSQL database that holds the audit, the outbox and the retention markers of every
 * node ({@code audit.postgres}): its connection settings, its schema migrations (Flyway, over
 * JDBC, run on a worker thread before the gateway listens) and the JDBC connections of the
 * command-line tools. The gateway's hot path uses the reactive client ({@link #pool}).
 */
public final class Postgres {

    /** Where the migrations live on the class path. */
    public static final String MIGRATIONS = "classpath:db/audit";
    /** Connections per node: the audit's group commit uses one at a time, the outbox a few. */
    static final int POOL_SIZE = 6;
    /** How long an enquiry waits for a connection before it gets 503 (H1: fail fast). */
    static final int CONNECTION_TIMEOUT_SECONDS = 5;

    private final String uri;
    private final String user;
    private final String password;

    private Postgres(String uri, String user, String password) {
        this.uri = uri;
        this.user = user;
        this.password = password;
    }

    /** The database at {@code uri} (no credentials in it), as {@code user} with the password in {@code passwordFile}. */
    public static Postgres of(String uri, String user, Path passwordFile) throws IOException {
        return new Postgres(uri, user, Files.readString(passwordFile).strip());
    }

    public PgConnectOptions connectOptions() {
        return PgConnectOptions.fromUri(uri).setUser(user).setPassword(password)
                .setReconnectAttempts(0)
                // Prepared statements are cached per connection: the hot path runs a handful.
                .setCachePreparedStatements(true);
    }

    /** The reactive pool of the hot path (audit appends, outbox claims). */
    public Pool pool(Vertx vertx) {
        PoolOptions options = new PoolOptions().setMaxSize(POOL_SIZE).setMaxWaitQueueSize(10_000)
                .setConnectionTimeout(CONNECTION_TIMEOUT_SECONDS).setConnectionTimeoutUnit(TimeUnit.SECONDS)
                .setName("wycps-audit-" + System.identityHashCode(this)).setShared(false);
        return PgBuilder.pool().with(options).connectingTo(connectOptions()).using(vertx).build();
    }

    /** The JDBC URL of the same database. */
    public String jdbcUrl() {
        PgConnectOptions o = PgConnectOptions.fromUri(uri);
        return "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
    }

    /** A blocking connection, for migrations and the command-line tools (never on an event loop). */
    public Connection jdbc() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(jdbcUrl(), p);
    }

    /**
     * Brings the schema up to date; blocking. Throws when a migration fails, which fails
     * start-up: a node never serves on a schema it does not know.
     */
    public MigrateResult migrate() {
        return Flyway.configure(Postgres.class.getClassLoader())
                .dataSource(jdbcUrl(), user, password)
                .locations(MIGRATIONS)
                .table("wycps_schema_history")
                .connectRetries(0)
                .load()
                .migrate();
    }
}
