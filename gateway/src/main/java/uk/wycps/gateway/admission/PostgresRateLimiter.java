package uk.wycps.gateway.admission;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import uk.wycps.gateway.api.ApiException;
import uk.wycps.gateway.config.GatewayConfig;

/**
 * Token buckets shared by every node, in PostgreSQL ({@code audit.postgres}): the same bucket as
 * {@link LocalRateLimiter} ({@code burst} deep, refilled greedily at {@code perMinute}), kept in
 * one row per key, so that a caller spread over N nodes by the load balancer gets its rate once,
 * not N times. One statement per permit takes it atomically: the row is refilled from the time
 * since it was last touched, by the database's clock (the nodes' clocks may differ), and a
 * token is taken only if one is there; the row lock serialises the nodes on a key.
 *
 * <p>Why not bucket4j's PostgreSQL proxy manager: this project's Maven registry does not serve
 * {@code bucket4j_jdk17-postgresql}, and it would run over JDBC on a worker thread; this is one
 * asynchronous round trip on the pool the audit already holds, with bucket4j's semantics.
 *
 * <p>When the database cannot answer, the enquiry is refused with the audit's 503 (no limiter,
 * no admission): the audit could not be written then anyway (H1).
 */
public final class PostgresRateLimiter implements RateLimiter {

    static final String TAKE = """
            INSERT INTO rate_bucket AS b (key, tokens, updated, admitted) VALUES ($1, $2 - 1, now(), true)
            ON CONFLICT (key) DO UPDATE SET
              admitted = LEAST($2, b.tokens + EXTRACT(EPOCH FROM now() - b.updated) * $3) >= 1,
              tokens = LEAST($2, b.tokens + EXTRACT(EPOCH FROM now() - b.updated) * $3)
                       - CASE WHEN LEAST($2, b.tokens + EXTRACT(EPOCH FROM now() - b.updated) * $3) >= 1
                              THEN 1 ELSE 0 END,
              updated = now()
            RETURNING admitted, tokens""";
    /** Rows whose bucket has refilled to the brim are the same as no row. */
    static final String SWEEP = "DELETE FROM rate_bucket WHERE key LIKE $1 AND"
            + " tokens + EXTRACT(EPOCH FROM now() - updated) * $2 >= $3";

    private final Pool pool;
    private final String prefix;
    private final double burst;
    private final double perSecond;

    /**
     * @param prefix what this limiter's keys start with ({@link AdmissionControl} gives
     *        {@code caller:} and {@code agency:}), so that each limiter sweeps its own rows
     */
    public PostgresRateLimiter(Pool pool, String prefix, GatewayConfig.Rate rate) {
        this.pool = pool;
        this.prefix = prefix;
        this.burst = rate.burst();
        this.perSecond = rate.perMinute() / 60.0;
    }

    @Override
    public Future<Verdict> tryTake(String key) {
        return pool.preparedQuery(TAKE).execute(Tuple.of(key, burst, perSecond)).map(rows -> {
            Row row = rows.iterator().next();
            if (row.getBoolean("admitted")) {
                return Verdict.ADMITTED;
            }
            double missing = 1 - row.getDouble("tokens");
            return Verdict.refused((long) Math.ceil(missing / perSecond * 1_000_000_000L));
        }).recover(e -> Future.failedFuture(new ApiException(503, "audit-unavailable",
                "The enquiry could not be recorded, so no answer is given. Try again shortly.", null)));
    }

    /** Drops the rows of buckets that are full again; run now and then. */
    public Future<Void> sweep() {
        return pool.preparedQuery(SWEEP).execute(Tuple.of(prefix.replace("%", "\\%") + "%", perSecond, burst))
                .mapEmpty();
    }
}
