package uk.wycps.gateway.auth;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.impl.jose.JWK;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.wycps.gateway.config.ConfigException;
import uk.wycps.gateway.config.GatewayConfig;

/**
 * The identity provider's public keys (A1): the PEM keys of the configuration and/or the key set
 * (JWKS) at {@code auth.jwksUri}, or at the {@code jwks_uri} that the issuer's OpenID discovery
 * document names. The key set is fetched at start (no keys, no start), then again when the
 * provider's {@code Cache-Control: max-age} runs out and when a token names a {@code kid} not in
 * it (at most once per {@link #MIN_REFRESH}), so that a key rotation needs no restart and a key
 * removed from the set is refused once the set is read again.
 *
 * <p>vertx-auth-jwt takes static keys only, so each key set read becomes a new immutable
 * {@link Snapshot} (a {@link JWTAuth} over exactly those keys) swapped in whole; one instance is
 * shared by every event loop. Only ES256 and RS256 signing keys are taken; a key with private
 * parts, another algorithm or use, or the demo key's material (unless the issuer is the demo
 * issuer) is left out. A snapshot with no key refuses every token: vertx-auth-jwt with an empty
 * key set would accept unsigned ones.
 */
public final class IssuerKeys {

    static final Duration MIN_REFRESH = Duration.ofSeconds(10);
    static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);
    static final Duration LONGEST_MAX_AGE = Duration.ofHours(24);
    static final int MAX_KEY_SET_BYTES = 256 * 1024;
    private static final Set<String> ALGORITHMS = Set.of("ES256", "RS256");
    private static final Pattern MAX_AGE = Pattern.compile("max-age\\s*=\\s*(\\d+)");
    private static final Logger LOG = LoggerFactory.getLogger(IssuerKeys.class);

    /** The keys in force: a verifier over them, their algorithms and key ids, and a version. */
    record Snapshot(JWTAuth jwt, Set<String> algorithms, Set<String> kids, long version) {
        boolean empty() {
            return jwt == null;
        }
    }

    private final Vertx vertx;
    private final GatewayConfig.Auth settings;
    private final HttpClient http;
    private final Context context;
    private final Duration minRefresh;
    private volatile Snapshot current;
    private volatile URI keySetUri;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    /** When a read for an unknown kid last started: only these are rate-limited. */
    private final AtomicLong lastUnknownKidFetch = new AtomicLong(System.nanoTime() - Duration.ofDays(1).toNanos());
    private final AtomicLong versions = new AtomicLong();
    private volatile List<JsonObject> lastJwks;
    private volatile long timer = -1;
    private volatile boolean closed;

    private IssuerKeys(Vertx vertx, GatewayConfig.Auth settings, Duration minRefresh) {
        this.vertx = vertx;
        this.settings = settings;
        this.minRefresh = minRefresh;
        this.context = vertx.getOrCreateContext();
        this.http = settings.remoteKeys() ? vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout(5_000).setIdleTimeout(10).setMaxRedirects(0).setVerifyHost(true)) : null;
    }

    /** The configured PEM keys only (no fetching). */
    public static IssuerKeys fixed(Vertx vertx, GatewayConfig.Auth settings) {
        if (settings.keys().isEmpty()) {
            throw new ConfigException("auth.keys: no verification key; refusing to start (unsigned tokens would pass)");
        }
        IssuerKeys keys = new IssuerKeys(vertx, settings, MIN_REFRESH);
        keys.current = keys.build(List.of());
        return keys;
    }

    /**
     * Keys for {@code settings}: the PEM keys, and the provider's key set read once before this
     * succeeds. Fails (so the start fails) when there is no key at all or the set cannot be read.
     */
    public static Future<IssuerKeys> start(Vertx vertx, GatewayConfig.Auth settings) {
        return start(vertx, settings, MIN_REFRESH);
    }

    /** As {@link #start(Vertx, GatewayConfig.Auth)}, with another least time between two reads for unknown kids. */
    static Future<IssuerKeys> start(Vertx vertx, GatewayConfig.Auth settings, Duration minRefresh) {
        if (!settings.remoteKeys()) {
            try {
                return Future.succeededFuture(fixed(vertx, settings));
            } catch (ConfigException e) {
                return Future.failedFuture(e);
            }
        }
        IssuerKeys keys = new IssuerKeys(vertx, settings, minRefresh);
        Future<URI> uri = settings.jwksUri() != null ? Future.succeededFuture(settings.jwksUri()) : keys.discover();
        return uri.compose(u -> {
            keys.keySetUri = u;
            return keys.fetch();
        }).compose(v -> keys.current.empty()
                ? Future.<IssuerKeys>failedFuture(new ConfigException("auth: the identity provider's key set at "
                        + keys.keySetUri + " has no ES256 or RS256 signing key; refusing to start"))
                : Future.succeededFuture(keys))
                .recover(e -> {
                    keys.close();
                    return Future.failedFuture(e instanceof ConfigException ? e : new ConfigException(
                            "auth: the identity provider's keys could not be read (" + e.getMessage() + ")"));
                });
    }

    Snapshot current() {
        return current;
    }

    /**
     * A token named {@code kid}, not in the key set: read the set again unless that was done less
     * than {@link #MIN_REFRESH} ago. Completes when the read is over (or at once when none is made).
     */
    Future<Void> unknownKid(String kid) {
        if (http == null || keySetUri == null || current.kids().contains(kid)) {
            return Future.succeededFuture();
        }
        long now = System.nanoTime();
        long last = lastUnknownKidFetch.get();
        if (now - last < minRefresh.toNanos() || !lastUnknownKidFetch.compareAndSet(last, now)) {
            return Future.succeededFuture();
        }
        LOG.info("token names an unknown key id; reading the identity provider's key set again");
        return fetch().recover(e -> Future.succeededFuture());
    }

    /** Stops refreshing and closes the client. */
    public Future<Void> close() {
        closed = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        return http == null ? Future.succeededFuture() : http.close();
    }

    private Future<URI> discover() {
        URI document = URI.create(settings.issuer().replaceAll("/+$", "") + "/.well-known/openid-configuration");
        return get(document).map(response -> {
            JsonObject doc = new JsonObject(response.body());
            // OpenID Connect Discovery 1.0, section 4.3: the document must name the issuer asked.
            if (!settings.issuer().equals(doc.getString("issuer"))) {
                throw new ConfigException("auth.issuer: the discovery document names another issuer");
            }
            URI jwks = URI.create(doc.getString("jwks_uri", ""));
            if (!"https".equals(jwks.getScheme()) && !("http".equals(jwks.getScheme())
                    && "http".equals(document.getScheme()))) {
                throw new ConfigException("auth.issuer: the discovery document's jwks_uri is not https");
            }
            return jwks;
        });
    }

    private record Fetched(Buffer body, String cacheControl) {
    }

    private Future<Void> fetch() {
        if (!refreshing.compareAndSet(false, true)) {
            return Future.succeededFuture();
        }
        return get(keySetUri).map(response -> {
            JsonArray keys = new JsonObject(response.body()).getJsonArray("keys");
            if (keys == null) {
                throw new IllegalArgumentException("no keys array");
            }
            List<JsonObject> jwks = new ArrayList<>();
            for (Object k : keys) {
                if (k instanceof JsonObject jwk && usable(jwk)) {
                    jwks.add(jwk);
                }
            }
            if (!jwks.equals(lastJwks)) {
                // A new snapshot only for a changed set: its version drops the tokens verified before.
                Snapshot next = build(jwks);
                LOG.info("identity provider key set read: {} key(s), ids {}", jwks.size(), next.kids());
                current = next;
                lastJwks = List.copyOf(jwks);
            }
            schedule(maxAge(response.cacheControl()));
            return (Void) null;
        }).onFailure(e -> {
            LOG.warn("identity provider key set not read ({}); keeping the keys in force", e.getClass().getSimpleName());
            if (current != null) {
                schedule(minRefresh);
            }
        }).onComplete(done -> refreshing.set(false));
    }

    private void schedule(Duration after) {
        if (closed) {
            return;
        }
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        timer = vertx.setTimer(Math.max(1, after.toMillis()), t -> fetch());
    }

    static Duration maxAge(String cacheControl) {
        if (cacheControl == null || cacheControl.contains("no-store") || cacheControl.contains("no-cache")) {
            return cacheControl == null ? DEFAULT_MAX_AGE : Duration.ofSeconds(1);
        }
        Matcher m = MAX_AGE.matcher(cacheControl);
        if (!m.find()) {
            return DEFAULT_MAX_AGE;
        }
        long seconds = Math.min(Long.parseLong(m.group(1).length() > 9 ? "999999999" : m.group(1)),
                LONGEST_MAX_AGE.toSeconds());
        return Duration.ofSeconds(Math.max(1, seconds));
    }

    /**
     * One bounded GET: no redirects, at most {@link #MAX_KEY_SET_BYTES}, 10 s in all. Run on this
     * instance's own context, so the response's handlers are set before its body can arrive.
     */
    private Future<Fetched> get(URI uri) {
        Promise<Fetched> result = Promise.promise();
        context.runOnContext(v -> send(uri, result));
        return result.future();
    }

    private void send(URI uri, Promise<Fetched> result) {
        http.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(uri.toString())
                        .setIdleTimeout(10_000).addHeader("Accept", "application/json"))
                .compose(req -> req.send())
                .onFailure(result::tryFail)
                .onSuccess(response -> {
                    if (response.statusCode() != 200) {
                        response.end();
                        result.tryFail("status " + response.statusCode());
                        return;
                    }
                    Buffer body = Buffer.buffer();
                    response.handler(chunk -> {
                        if (body.length() + chunk.length() > MAX_KEY_SET_BYTES) {
                            result.tryFail("key set larger than " + MAX_KEY_SET_BYTES + " bytes");
                            response.request().reset();
                            return;
                        }
                        body.appendBuffer(chunk);
                    });
                    response.exceptionHandler(result::tryFail);
                    response.endHandler(v -> result.tryComplete(new Fetched(body, response.getHeader("Cache-Control"))));
                });
    }

    private boolean usable(JsonObject jwk) {
        if (jwk.containsKey("d") || jwk.containsKey("k")) {
            return false; // private or symmetric material never verifies tokens here
        }
        String use = jwk.getString("use");
        if (use != null && !"sig".equals(use)) {
            return false;
        }
        String alg = jwk.getString("alg");
        String kty = jwk.getString("kty");
        if (alg == null) {
            alg = "EC".equals(kty) && "P-256".equals(jwk.getString("crv")) ? "ES256" : "RSA".equals(kty) ? "RS256" : null;
            if (alg != null) {
                jwk.put("alg", alg);
            }
        }
        if (alg == null || !ALGORITHMS.contains(alg)) {
            return false;
        }
        try {
            JWK parsed = new JWK(jwk);
            if (!DemoKeys.ISSUER.equals(settings.issuer()) && DemoKeys.isDemoKey(parsed.publicKey())) {
                LOG.warn("the identity provider's key set holds the demo key; it is not trusted");
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Snapshot build(List<JsonObject> jwks) {
        JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(new JWTOptions()
                .setIssuer(settings.issuer())
                .setAudience(List.of(settings.audience()))
                .setLeeway(settings.leewaySeconds())
                .setIgnoreExpiration(false));
        Set<String> algorithms = new LinkedHashSet<>();
        Set<String> kids = new LinkedHashSet<>();
        for (GatewayConfig.VerificationKey key : settings.keys()) {
            options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(key.algorithm()).setBuffer(key.pem()));
            algorithms.add(key.algorithm());
        }
        for (JsonObject jwk : jwks) {
            options.addJwk(jwk);
            algorithms.add(jwk.getString("alg"));
            if (jwk.getString("kid") != null) {
                kids.add(jwk.getString("kid"));
            }
        }
        long version = versions.incrementAndGet();
        if (algorithms.isEmpty()) {
            return new Snapshot(null, Set.of(), Set.of(), version);
        }
        try {
            return new Snapshot(JWTAuth.create(vertx, options), Set.copyOf(algorithms), Set.copyOf(kids), version);
        } catch (RuntimeException e) {
            throw new ConfigException("auth.keys: a key cannot be used (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** For messages: which key ids are in force. */
    @Override
    public String toString() {
        return "IssuerKeys" + Arrays.asList(current == null ? Set.of() : current.kids());
    }
}
