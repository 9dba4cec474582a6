package uk.wycps.gateway.admission;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import uk.wycps.gateway.config.GatewayConfig;

/**
 * bucket4j buckets kept in this node's memory, one per key, each {@code burst} deep and refilled
 * greedily at {@code perMinute}. A bucket that has refilled to the brim is the same as a new one,
 * so {@link #sweep} drops those; the table is bounded, and a key that does not fit is not
 * tracked (admitted): the bound protects the heap, and floods from more keys than that are for
 * the network in front of the gateway.
 */
public final class LocalRateLimiter implements RateLimiter {

    static final int MAX_KEYS = 100_000;

    private final GatewayConfig.Rate rate;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public LocalRateLimiter(GatewayConfig.Rate rate) {
        this.rate = rate;
    }

    @Override
    public Future<Verdict> tryTake(String key) {
        return Future.succeededFuture(take(key));
    }

    /** Takes one permit now (this limiter never waits for anything). */
    public Verdict take(String key) {
        Bucket bucket = bucket(key);
        if (bucket == null) {
            return Verdict.ADMITTED;
        }
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Verdict.ADMITTED : Verdict.refused(probe.getNanosToWaitForRefill());
    }

    /** Whether {@code key} has a permit left, without taking it; refused with the wait if not. */
    public Verdict peek(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            return Verdict.ADMITTED;
        }
        EstimationProbe probe = bucket.estimateAbilityToConsume(1);
        return probe.canBeConsumed() ? Verdict.ADMITTED : Verdict.refused(probe.getNanosToWaitForRefill());
    }

    /** Drops the buckets that are full again; run now and then. */
    public void sweep() {
        buckets.values().removeIf(b -> b.getAvailableTokens() >= rate.burst());
    }

    int size() {
        return buckets.size();
    }

    private Bucket bucket(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket != null) {
            return bucket;
        }
        if (buckets.size() >= MAX_KEYS) {
            sweep();
            if (buckets.size() >= MAX_KEYS) {
                return null;
            }
        }
        return buckets.computeIfAbsent(key, k -> Bucket.builder()
                .addLimit(limit -> limit.capacity(rate.burst()).refillGreedy(rate.perMinute(), Duration.ofMinutes(1)))
                .build());
    }
}
