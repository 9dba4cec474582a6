package uk.wycps.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import uk.wycps.gateway.api.ApiException;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.policy.Agency;
import uk.wycps.policy.Caller;
import uk.wycps.policy.Role;

/**
 * Turns a bearer token into a {@link Caller} (A1, A2), or refuses it with 401.
 *
 * <p>vertx-auth-jwt checks the signature, and {@code exp}, {@code iss} and {@code aud} when it
 * is told to; this class does not rely on that alone. It refuses before verification any
 * algorithm but the configured asymmetric ones (so neither {@code none} nor an HMAC token
 * "signed" with the public key can pass), and after verification it requires {@code iss},
 * {@code aud}, {@code sub}, {@code exp} and {@code iat} itself. It never starts without keys:
 * with an empty key set the library accepts unsigned tokens. It also refuses a {@code typ} other
 * than {@code JWT} or {@code at+jwt} (an ID token or a logout token is not an access token here),
 * a token issued in the future, and one whose lifetime ({@code exp - iat}) is above
 * {@code auth.maxTokenLifetimeSeconds}. The keys are {@link IssuerKeys}': a token naming a key id
 * the provider's set lacks has the set read again (rate-limited) before it is verified.
 *
 * <p>Its own time checks ({@code exp}, {@code nbf}, {@code iat}, and expiry of a remembered
 * token) read a {@link Clock}: the system clock unless one is given, so that a test can move
 * time past a token's expiry instead of waiting for it.
 */
public final class TokenVerifier {

    private static final Set<String> TYPES = Set.of("jwt", "at+jwt", "application/jwt", "application/at+jwt");

    private final IssuerKeys keys;
    private final GatewayConfig.Auth settings;
    private final Set<String> authorities;
    private final Clock clock;
    /**
     * Tokens already verified, by their exact text, until they expire: a practitioner's client
     * sends the same token with every enquiry, and an ECDSA verification costs more CPU than the
     * rest of the gateway's work on an enquiry. A changed byte is a different key and is verified
     * afresh; expiry is checked on every use. Refusals are never cached. Bounded: past
     * {@link #MAX_CACHED} tokens the least used go, so a burst of new tokens does not throw away
     * every practitioner's verification at once.
     */
    private final Cache<String, Verified> verified = Caffeine.newBuilder().maximumSize(MAX_CACHED).build();
    static final int MAX_CACHED = 10_000;

    /** A verified token: its caller, its times, and the key set version it was verified with. */
    private record Verified(Caller caller, long expiresAt, long notBefore, long keysVersion) {
    }

    private TokenVerifier(IssuerKeys keys, GatewayConfig.Auth settings, Set<String> authorities, Clock clock) {
        this.keys = keys;
        this.settings = settings;
        this.authorities = Set.copyOf(authorities);
        this.clock = clock;
    }

    /**
     * A verifier trusting {@code settings}' PEM keys only; {@code authorities} are the
     * federation's, the only values an {@code authority} claim may take.
     */
    public static TokenVerifier create(Vertx vertx, GatewayConfig.Auth settings, Set<String> authorities) {
        return create(vertx, settings, authorities, Clock.systemUTC());
    }

    /** As {@link #create(Vertx, GatewayConfig.Auth, Set)}, its time checks reading {@code clock}. */
    public static TokenVerifier create(Vertx vertx, GatewayConfig.Auth settings, Set<String> authorities, Clock clock) {
        return new TokenVerifier(IssuerKeys.fixed(vertx, settings), settings, authorities, clock);
    }

    /** A verifier trusting {@code keys} (shared by every event loop of the node). */
    public static TokenVerifier create(IssuerKeys keys, GatewayConfig.Auth settings, Set<String> authorities) {
        return create(keys, settings, authorities, Clock.systemUTC());
    }

    /** As {@link #create(IssuerKeys, GatewayConfig.Auth, Set)}, its time checks reading {@code clock}. */
    public static TokenVerifier create(IssuerKeys keys, GatewayConfig.Auth settings, Set<String> authorities, Clock clock) {
        return new TokenVerifier(keys, settings, authorities, clock);
    }

    /** The caller for an {@code Authorization} header; fails with an {@link ApiException}. */
    public Future<Caller> verify(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Future.failedFuture(ApiException.unauthorized("A bearer token is required."));
        }
        String token = authorization.substring(7).trim();
        Verified known = verified.getIfPresent(token);
        if (known != null && known.keysVersion != keys.current().version()) {
            // The key set changed since: the key that verified it may be gone.
            verified.invalidate(token);
            known = null;
        }
        if (known != null) {
            long now = clock.millis() / 1000;
            if (known.expiresAt + settings.leewaySeconds() >= now && known.notBefore - settings.leewaySeconds() <= now) {
                return Future.succeededFuture(known.caller);
            }
            verified.invalidate(token);
            return Future.failedFuture(ApiException.unauthorized("The token has expired."));
        }
        JsonObject header = header(token);
        if (header == null) {
            return unauthorized("The token is not a signed JWT.");
        }
        Object typ = header.getValue("typ");
        if (typ != null && !(typ instanceof String t && TYPES.contains(t.toLowerCase(java.util.Locale.ROOT)))) {
            return unauthorized("The token's type is not an access token's.");
        }
        Future<Void> keysReady = header.getValue("kid") instanceof String kid ? keys.unknownKid(kid)
                : Future.succeededFuture();
        return keysReady.compose(v -> {
            IssuerKeys.Snapshot snapshot = keys.current();
            Object alg = header.getValue("alg");
            if (snapshot.empty() || !(alg instanceof String a) || !snapshot.algorithms().contains(a)) {
                return unauthorized("The token's algorithm is not accepted.");
            }
            return snapshot.jwt().authenticate(new TokenCredentials(token))
                    .recover(e -> Future.failedFuture(ApiException.unauthorized("The token is not valid.")))
                    // The verified payload: the library moves exp and iat out of the principal.
                    .compose(user -> {
                        JsonObject claims = user.attributes().getJsonObject("accessToken", new JsonObject());
                        return caller(claims).onSuccess(caller -> remember(token, caller, claims, snapshot.version()));
                    });
        });
    }

    /** The token's header when it has three non-empty parts and a JSON header; null otherwise. */
    private static JsonObject header(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            return null;
        }
        try {
            return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void remember(String token, Caller caller, JsonObject claims, long keysVersion) {
        long nbf = claims.getValue("nbf") instanceof Number n ? n.longValue() : 0;
        verified.put(token, new Verified(caller, ((Number) claims.getValue("exp")).longValue(), nbf, keysVersion));
    }

    private Future<Caller> caller(JsonObject claims) {
        long now = clock.millis() / 1000;
        if (!settings.issuer().equals(claims.getValue("iss"))) {
            return unauthorized("The token's issuer is not trusted.");
        }
        if (!audienceMatches(claims.getValue("aud"))) {
            return unauthorized("The token is not for this gateway.");
        }
        if (!(claims.getValue("exp") instanceof Number exp) || !(claims.getValue("iat") instanceof Number iat)) {
            return unauthorized("The token must carry exp and iat.");
        }
        if (iat.longValue() - settings.leewaySeconds() > now) {
            return unauthorized("The token was issued in the future.");
        }
        long lifetime;
        try {
            lifetime = Math.subtractExact(exp.longValue(), iat.longValue());
        } catch (ArithmeticException e) {
            lifetime = Long.MAX_VALUE; // an exp near the end of time and an iat before the epoch
        }
        if (lifetime < 0 || lifetime > settings.maxTokenLifetimeSeconds()) {
            // A long-lived token that leaks is a long-lived key to every register.
            return unauthorized("The token's lifetime is longer than this gateway accepts.");
        }
        if (exp.longValue() + settings.leewaySeconds() < now) {
            return unauthorized("The token has expired.");
        }
        if (claims.getValue("nbf") instanceof Number nbf && nbf.longValue() - settings.leewaySeconds() > now) {
            return unauthorized("The token is not valid yet.");
        }
        if (!(claims.getValue("sub") instanceof String sub) || sub.isBlank()) {
            return unauthorized("The token must name its subject.");
        }
        return CallerClaims.caller(sub, claims, authorities);
    }

    private boolean audienceMatches(Object aud) {
        if (aud instanceof String s) {
            return settings.audience().equals(s);
        }
        if (aud instanceof JsonArray array) {
            return array.contains(settings.audience());
        }
        return false;
    }

    private static <T> Future<T> unauthorized(String message) {
        return Future.failedFuture(ApiException.unauthorized(message));
    }
}
