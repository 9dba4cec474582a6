package uk.wycps.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import uk.wycps.gateway.api.ApiException;
import uk.wycps.gateway.config.ConfigException;
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
 * with an empty key set the library accepts unsigned tokens.
 */
public final class TokenVerifier {

    private final JWTAuth jwt;
    private final GatewayConfig.Auth settings;
    private final Set<String> algorithms;
    private final Set<String> authorities;
    /**
     * Tokens already verified, by their exact text, until they expire: a practitioner's client
     * sends the same token with every enquiry, and an ECDSA verification costs more CPU than the
     * rest of the gateway's work on an enquiry. A changed byte is a different key and is verified
     * afresh; expiry is checked on every use. Refusals are never cached.
     */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    static final int MAX_CACHED = 10_000;

    private record Verified(Caller caller, long expiresAt, long notBefore) {
    }

    private TokenVerifier(JWTAuth jwt, GatewayConfig.Auth settings, Set<String> authorities) {
        this.jwt = jwt;
        this.settings = settings;
        this.authorities = Set.copyOf(authorities);
        Set<String> algs = new LinkedHashSet<>();
        settings.keys().forEach(k -> algs.add(k.algorithm()));
        this.algorithms = Set.copyOf(algs);
    }

    /**
     * A verifier trusting {@code settings}' keys; {@code authorities} are the federation's, the
     * only values an {@code authority} claim may take.
     */
    public static TokenVerifier create(Vertx vertx, GatewayConfig.Auth settings, Set<String> authorities) {
        if (settings.keys().isEmpty()) {
            throw new ConfigException("auth.keys: no verification key; refusing to start (unsigned tokens would pass)");
        }
        JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(new JWTOptions()
                .setIssuer(settings.issuer())
                .setAudience(List.of(settings.audience()))
                .setLeeway(settings.leewaySeconds())
                .setIgnoreExpiration(false));
        for (GatewayConfig.VerificationKey key : settings.keys()) {
            options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(key.algorithm()).setBuffer(key.pem()));
        }
        JWTAuth jwt;
        try {
            jwt = JWTAuth.create(vertx, options);
        } catch (RuntimeException e) {
            throw new ConfigException("auth.keys: a key cannot be used (" + e.getClass().getSimpleName() + ")");
        }
        return new TokenVerifier(jwt, settings, authorities);
    }

    /** The caller for an {@code Authorization} header; fails with an {@link ApiException}. */
    public Future<Caller> verify(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Future.failedFuture(ApiException.unauthorized("A bearer token is required."));
        }
        String token = authorization.substring(7).trim();
        Verified known = verified.get(token);
        if (known != null) {
            long now = System.currentTimeMillis() / 1000;
            if (known.expiresAt + settings.leewaySeconds() >= now && known.notBefore - settings.leewaySeconds() <= now) {
                return Future.succeededFuture(known.caller);
            }
            verified.remove(token);
            return Future.failedFuture(ApiException.unauthorized("The token has expired."));
        }
        String refusal = refuseBeforeVerification(token);
        if (refusal != null) {
            return Future.failedFuture(ApiException.unauthorized(refusal));
        }
        return jwt.authenticate(new TokenCredentials(token))
                .recover(e -> Future.failedFuture(ApiException.unauthorized("The token is not valid.")))
                // The verified payload: the library moves exp and iat out of the principal.
                .compose(user -> {
                    JsonObject claims = user.attributes().getJsonObject("accessToken", new JsonObject());
                    return caller(claims).onSuccess(caller -> remember(token, caller, claims));
                });
    }

    private String refuseBeforeVerification(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            return "The token is not a signed JWT.";
        }
        JsonObject header;
        try {
            header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return "The token is not a signed JWT.";
        }
        Object alg = header.getValue("alg");
        if (!(alg instanceof String a) || !algorithms.contains(a)) {
            return "The token's algorithm is not accepted.";
        }
        return null;
    }

    private void remember(String token, Caller caller, JsonObject claims) {
        if (verified.size() >= MAX_CACHED) {
            // Crude but bounded: tokens are cheap to verify again.
            verified.clear();
        }
        long nbf = claims.getValue("nbf") instanceof Number n ? n.longValue() : 0;
        verified.put(token, new Verified(caller, ((Number) claims.getValue("exp")).longValue(), nbf));
    }

    private Future<Caller> caller(JsonObject claims) {
        long now = System.currentTimeMillis() / 1000;
        if (!settings.issuer().equals(claims.getValue("iss"))) {
            return unauthorized("The token's issuer is not trusted.");
        }
        if (!audienceMatches(claims.getValue("aud"))) {
            return unauthorized("The token is not for this gateway.");
        }
        if (!(claims.getValue("exp") instanceof Number exp) || !(claims.getValue("iat") instanceof Number)) {
            return unauthorized("The token must carry exp and iat.");
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
