package uk.wycps.gateway.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2AuthorizationURL;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.Oauth2Credentials;
import io.vertx.ext.auth.oauth2.providers.OpenIDConnectAuth;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import uk.wycps.gateway.api.ApiException;
import uk.wycps.gateway.auth.CallerClaims;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.policy.Caller;

/**
 * OpenID Connect sign-in for the console under {@code serve}: the authorisation code flow with
 * PKCE (S256), a state bound to the browser that started it, and a nonce. vertx-auth-oauth2
 * discovers the issuer ({@code auth.issuer}), exchanges the code and verifies the ID token's
 * signature with the issuer's published keys; because it only leaves a token it cannot verify
 * out (it does not fail), this class requires the verified ID token and checks its issuer,
 * audience, expiry and nonce itself before mapping its claims to a caller exactly as the API
 * maps a bearer token's ({@link CallerClaims}).
 */
final class OidcSignIn {

    /** How long a started sign-in may take before its state is forgotten. */
    static final long PENDING_MS = 10 * 60 * 1000L;
    private static final int MAX_PENDING = 10_000;
    private static final long KEY_REFRESH_MIN_MS = 60_000;

    private final Vertx vertx;
    private final String issuer;
    private final GatewayConfig.Console settings;
    private final Set<String> authorities;
    private final LocalMap<String, JsonObject> pending;
    private final AtomicLong lastKeyRefresh = new AtomicLong();
    /** Clock difference allowed against the identity provider's {@code nbf}: {@code auth.leewaySeconds}, as for API tokens. */
    private final long leewaySeconds;
    private Future<OAuth2Auth> provider;

    OidcSignIn(Vertx vertx, String issuer, GatewayConfig.Console settings, Set<String> authorities, long leewaySeconds) {
        this.vertx = vertx;
        this.issuer = issuer;
        this.leewaySeconds = leewaySeconds;
        this.settings = settings;
        this.authorities = Set.copyOf(authorities);
        // Shared by the gateway's event loops: the callback may land on another one.
        this.pending = vertx.sharedData().getLocalMap("wycps.console.oidc-pending");
    }

    /** Discovered on first use and kept; a failed discovery is tried again next time. */
    private synchronized Future<OAuth2Auth> provider() {
        if (provider == null || provider.failed()) {
            provider = secret().compose(secret -> {
                OAuth2Options options = new OAuth2Options()
                        .setClientId(settings.clientId())
                        .setSite(issuer);
                // Refresh the issuer's keys hourly as well as on an unknown key id (PITFALLS).
                options.setJwkMaxAgeInSeconds(3600);
                if (secret != null) {
                    options.setClientSecret(secret);
                }
                return OpenIDConnectAuth.discover(vertx, options);
            }).map(auth -> auth.missingKeyHandler(kid -> refreshKeys(auth)));
        }
        return provider;
    }

    private Future<String> secret() {
        if (settings.clientSecretFile() == null) {
            return Future.succeededFuture(null);
        }
        return vertx.executeBlocking(() -> Files.readString(settings.clientSecretFile()).trim(), false);
    }

    /** An unknown key id: fetch the key set again, at most once a minute. */
    private void refreshKeys(OAuth2Auth auth) {
        long now = System.currentTimeMillis();
        long last = lastKeyRefresh.get();
        if (now - last >= KEY_REFRESH_MIN_MS && lastKeyRefresh.compareAndSet(last, now)) {
            auth.jWKSet();
        }
    }

    /** A started sign-in: where to send the browser, and the state its cookie must carry back. */
    record Started(String authorizeUrl, String state) {
    }

    Future<Started> start() {
        return provider().map(auth -> {
            forgetStale();
            String state = ConsoleSession.random();
            String verifier = ConsoleSession.random();
            String nonce = ConsoleSession.random();
            pending.put(state, new JsonObject().put("verifier", verifier).put("nonce", nonce)
                    .put("at", System.currentTimeMillis()));
            // redirect_uri and the PKCE challenge are given as plain parameters: vertx-auth-oauth2
            // 5.0.7 left them out of the URL when set on OAuth2AuthorizationURL (the test's
            // provider refused such a request).
            String url = auth.authorizeURL(new OAuth2AuthorizationURL()
                    .setScopes(List.of("openid", "profile"))
                    .setState(state)
                    .setAdditionalParameters(Map.of("nonce", nonce, "redirect_uri", settings.redirectUri(),
                            "code_challenge", challenge(verifier), "code_challenge_method", "S256")));
            return new Started(url, state);
        });
    }

    /**
     * Finishes a sign-in: {@code state} must be one this gateway started and the one in the
     * browser's sign-in cookie. Fails with an {@link ApiException} (401/403) otherwise.
     */
    Future<SignedIn> finish(String code, String state, String cookieState) {
        if (code == null || state == null || cookieState == null || !MessageDigest.isEqual(
                state.getBytes(StandardCharsets.US_ASCII), cookieState.getBytes(StandardCharsets.US_ASCII))) {
            return Future.failedFuture(ApiException.unauthorized("The sign-in did not start in this browser."));
        }
        JsonObject started = pending.remove(state);
        if (started == null || System.currentTimeMillis() - started.getLong("at") > PENDING_MS) {
            return Future.failedFuture(ApiException.unauthorized("The sign-in has expired: start again."));
        }
        return provider().compose(auth -> auth.authenticate(new Oauth2Credentials()
                        .setFlow(OAuth2FlowType.AUTH_CODE)
                        .setCode(code)
                        .setRedirectUri(settings.redirectUri())
                        .setCodeVerifier(started.getString("verifier"))))
                .recover(e -> Future.failedFuture(ApiException.unauthorized("The identity provider refused the sign-in.")))
                .compose(user -> {
                    JsonObject id = user.attributes().getJsonObject("idToken");
                    String problem = check(id, started.getString("nonce"));
                    if (problem != null) {
                        return Future.failedFuture(ApiException.unauthorized(problem));
                    }
                    String sub = id.getString("sub");
                    return CallerClaims.caller(sub, id, authorities)
                            .map(caller -> new SignedIn(caller, name(id)));
                });
    }

    record SignedIn(Caller caller, String name) {
    }

    /** The ID token's checks (OpenID Connect Core 3.1.3.7) that the library leaves to us. */
    private String check(JsonObject id, String nonce) {
        if (id == null) {
            return "The identity provider's ID token could not be verified.";
        }
        if (!issuer.equals(id.getValue("iss"))) {
            return "The ID token is not from the configured issuer.";
        }
        Object aud = id.getValue("aud");
        boolean forUs = aud instanceof String s ? s.equals(settings.clientId())
                : aud instanceof JsonArray a && a.contains(settings.clientId());
        if (!forUs) {
            return "The ID token is not for this console.";
        }
        long now = System.currentTimeMillis() / 1000;
        if (!(id.getValue("exp") instanceof Number exp) || exp.longValue() < now || !(id.getValue("iat") instanceof Number)) {
            return "The ID token has expired.";
        }
        if (id.getValue("nbf") instanceof Number nbf && nbf.longValue() > now + leewaySeconds) {
            return "The ID token is not valid yet.";
        }
        if (!nonce.equals(id.getValue("nonce"))) {
            return "The ID token does not answer this sign-in.";
        }
        if (!(id.getValue("sub") instanceof String sub) || sub.isBlank()) {
            return "The ID token names nobody.";
        }
        return null;
    }

    private static String name(JsonObject id) {
        Object name = id.getValue("name");
        return name instanceof String s && !s.isBlank() && s.length() <= 100 ? s : id.getString("sub");
    }

    private void forgetStale() {
        makeRoom(pending, System.currentTimeMillis(), MAX_PENDING);
    }

    /**
     * Keeps {@code pending} under {@code max}: the stale first, then, when still full, the oldest
     * tenth. Refusing new sign-ins once full let anyone who asked for {@code /sign-in} 17 times
     * a second (no sign-in needed) keep every practitioner out; now a flood must outrun each
     * practitioner's own time at the identity provider to end their sign-in, and it ends only
     * theirs in progress, never the console's sign-in as a whole.
     */
    static void makeRoom(Map<String, JsonObject> pending, long now, int max) {
        if (pending.size() > max / 2) {
            pending.keySet().removeIf(k -> {
                JsonObject p = pending.get(k);
                return p == null || now - p.getLong("at") > PENDING_MS;
            });
        }
        if (pending.size() >= max) {
            List<Map.Entry<String, JsonObject>> byAge = new java.util.ArrayList<>(pending.entrySet());
            byAge.sort(java.util.Comparator.comparingLong(e -> e.getValue().getLong("at")));
            for (Map.Entry<String, JsonObject> oldest : byAge.subList(0, Math.max(1, max / 10))) {
                pending.remove(oldest.getKey());
            }
        }
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
