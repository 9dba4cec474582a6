package uk.wycps.gateway.admission;

import io.vertx.core.Future;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import uk.wycps.gateway.api.RateLimitedException;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.policy.Caller;

/**
 * Who may start an enquiry now, decided before its body is read or any register asked (A1, O2).
 * First, whether the event loop is keeping up ({@link #overloaded}); then three limits:
 * enquiries in flight on this node; a token bucket per caller (token subject) and per agency
 * (authority and agency); and, checked before any signature, a bucket per client address that
 * each refused token takes from, so a flood of forged tokens costs the gateway no signature
 * checks once its address is spent. One instance serves every event loop of the node.
 */
public final class AdmissionControl {

    private final GatewayConfig.Limits limits;
    private final RateLimiter perCaller;
    private final RateLimiter perAgency;
    private final LocalRateLimiter failedAuth;
    private final AtomicInteger inFlight = new AtomicInteger();

    public AdmissionControl(GatewayConfig.Limits limits, RateLimiter perCaller, RateLimiter perAgency) {
        this.limits = limits;
        this.perCaller = perCaller;
        this.perAgency = perAgency;
        this.failedAuth = limits.failedAuthPerAddress() == null ? null
                : new LocalRateLimiter(limits.failedAuthPerAddress());
    }

    /** Limits kept in this node's memory. */
    public static AdmissionControl local(GatewayConfig.Limits limits) {
        return new AdmissionControl(limits,
                limits.perCaller() == null ? null : new LocalRateLimiter(limits.perCaller()),
                limits.perAgency() == null ? null : new LocalRateLimiter(limits.perAgency()));
    }

    /** A permit for one enquiry: release it once the enquiry is answered or fails. */
    public interface Permit {
        void release();
    }

    /**
     * Admits {@code caller}'s enquiry or fails with a {@link RateLimitedException}. The in-flight
     * slot is taken last, so a caller refused by a rate holds none.
     */
    public Future<Permit> admit(Caller caller) {
        return take(perCaller, "caller:" + caller.subject(), "too-many-requests",
                "Too many enquiries from this caller; try again later.")
                .compose(v -> take(perAgency, "agency:" + (caller.authority() == null ? "-" : caller.authority()) + '/'
                        + caller.agency().code(), "too-many-requests-agency",
                        "Too many enquiries from this agency; try again later."))
                .compose(v -> {
                    // Counted with or without a bound: the lag check below asks whether any enquiry is in flight.
                    if (inFlight.incrementAndGet() > limits.maxInFlight() && limits.maxInFlight() > 0) {
                        inFlight.decrementAndGet();
                        return Future.failedFuture(new RateLimitedException("gateway-busy",
                                "The gateway is at its limit of enquiries in flight; try again shortly.", 1));
                    }
                    AtomicInteger once = new AtomicInteger();
                    return Future.<Permit>succeededFuture(() -> {
                        if (once.getAndIncrement() == 0) {
                            inFlight.decrementAndGet();
                        }
                    });
                });
    }

    /**
     * {@code work} for {@code caller} once admitted: refused at once when the event loop is
     * behind ({@link #overloaded}), then by {@link #admit}; the permit is given back when the
     * work ends, or fails, however it fails. For requests admitted after their token is checked
     * (the console's, the statistics route's): the same limits as the API's enquiries.
     */
    public <T> Future<T> admitted(EventLoopLag lag, Caller caller, java.util.function.Supplier<Future<T>> work) {
        RateLimitedException refused = overloaded(lag);
        if (refused != null) {
            return Future.failedFuture(refused);
        }
        return admit(caller).compose(permit -> {
            Future<T> done;
            try {
                done = work.get();
            } catch (RuntimeException e) {
                done = Future.failedFuture(e);
            }
            return done.onComplete(ended -> permit.release());
        });
    }

    /**
     * Refused at once when the event loop that would serve the enquiry is further behind than
     * {@code maxEventLoopLagMs} while other enquiries are in flight on this node: requests are
     * then waiting in the sockets behind them, and one more admitted would be answered late.
     * With none in flight there is nothing to make room for, and the lag is not theirs: the
     * loop's first connection in a cold process (classes loaded, code not yet compiled) kept it
     * from its timer for over 100 ms on a 2-core machine, so the first enquiry after start-up
     * was refused as "overloaded" by an idle gateway. Null when the enquiry may go on to the
     * other limits.
     */
    public RateLimitedException overloaded(EventLoopLag lag) {
        if (limits.maxEventLoopLagMs() <= 0 || lag == null || inFlight.get() == 0
                || lag.lagMillis() <= limits.maxEventLoopLagMs()) {
            return null;
        }
        return new RateLimitedException("gateway-overloaded",
                "The gateway is overloaded and cannot answer in time; try again shortly.", 1);
    }

    /**
     * Before any token is verified: refused when this client address has spent its allowance of
     * refused tokens. Null when the address may go on.
     */
    public RateLimitedException checkAddress(String remoteHost) {
        if (failedAuth == null || remoteHost == null) {
            return null;
        }
        RateLimiter.Verdict verdict = failedAuth.peek(addressKey(remoteHost));
        return verdict.admitted() ? null : new RateLimitedException("too-many-failed-authentications",
                "Too many requests with invalid tokens from this address; try again later.", verdict.retryAfterSeconds());
    }

    /** A token from this address was refused (401): it takes one from the address's bucket. */
    public void failedAuthentication(String remoteHost) {
        if (failedAuth != null && remoteHost != null) {
            failedAuth.take(addressKey(remoteHost));
        }
    }

    /** Enquiries admitted and not yet released. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Drops buckets that have refilled; the gateway runs it every minute. */
    public void sweep() {
        if (failedAuth != null) {
            failedAuth.sweep();
        }
        if (perCaller instanceof LocalRateLimiter l) {
            l.sweep();
        }
        if (perAgency instanceof LocalRateLimiter l) {
            l.sweep();
        }
    }

    private static Future<Void> take(RateLimiter limiter, String key, String code, String message) {
        if (limiter == null) {
            return Future.succeededFuture();
        }
        return limiter.tryTake(key).compose(v -> v.admitted() ? Future.succeededFuture()
                : Future.failedFuture(new RateLimitedException(code, message, v.retryAfterSeconds())));
    }

    /**
     * The key of a client address: an IPv6 client holds a whole /64, so it counts as one; an
     * IPv4 address counts alone. Literal addresses only: nothing is looked up.
     */
    static String addressKey(String host) {
        if (host.indexOf(':') < 0) {
            return host;
        }
        try {
            byte[] bytes = InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host)
                    .getAddress();
            return bytes.length == 16 ? HexFormat.of().formatHex(Arrays.copyOf(bytes, 8)) + "::/64" : host;
        } catch (UnknownHostException e) {
            return host;
        }
    }
}
