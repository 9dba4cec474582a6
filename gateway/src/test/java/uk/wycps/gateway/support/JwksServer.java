package uk.wycps.gateway.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An identity provider for tests, on an ephemeral loopback port: an OpenID discovery document at
 * {@code /.well-known/openid-configuration} and a key set (JWKS) at {@code /jwks} with a chosen
 * {@code Cache-Control: max-age}, whose keys the test adds and removes while the gateway runs. It
 * signs ES256 tokens with any of its keys, each naming its {@code kid}.
 */
public final class JwksServer {

    private final Vertx vertx;
    private final Map<String, KeyPair> keys = new ConcurrentHashMap<>();
    private final List<String> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger keySetReads = new AtomicInteger();
    private volatile int maxAgeSeconds;
    private HttpServer server;

    public JwksServer(Vertx vertx, int maxAgeSeconds) {
        this.vertx = vertx;
        this.maxAgeSeconds = maxAgeSeconds;
    }

    public Future<JwksServer> start() {
        return vertx.createHttpServer().requestHandler(req -> {
            switch (req.path()) {
                case "/.well-known/openid-configuration" -> req.response().putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("issuer", issuer()).put("jwks_uri", issuer() + "/jwks").encode());
                case "/jwks" -> {
                    keySetReads.incrementAndGet();
                    JsonArray set = new JsonArray();
                    published.forEach(kid -> set.add(jwk(kid, (ECPublicKey) keys.get(kid).getPublic())));
                    req.response().putHeader("Content-Type", "application/json")
                            .putHeader("Cache-Control", "public, max-age=" + maxAgeSeconds)
                            .end(new JsonObject().put("keys", set).encode());
                }
                default -> req.response().setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1").map(s -> {
            server = s;
            return this;
        });
    }

    /** The issuer: this server's base URL. */
    public String issuer() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    public String keySetUri() {
        return issuer() + "/jwks";
    }

    /** How often the key set was read. */
    public int keySetReads() {
        return keySetReads.get();
    }

    /** Makes a key pair named {@code kid} and publishes it. */
    public JwksServer publish(String kid) {
        keys.computeIfAbsent(kid, k -> newPair());
        if (!published.contains(kid)) {
            published.add(kid);
        }
        return this;
    }

    /** Takes {@code kid} out of the key set (the pair can still sign: an old or stolen key). */
    public JwksServer withdraw(String kid) {
        published.remove(kid);
        return this;
    }

    /** A valid token for a Leeds child worker, signed with {@code kid}'s key, lifetime 600 s. */
    public String token(String kid, String audience) {
        long now = System.currentTimeMillis() / 1000;
        return token(kid, audience, new JsonObject().put("iat", now).put("exp", now + 600), null);
    }

    /** A token signed with {@code kid}'s key, with these times and header {@code typ} (none when null). */
    public String token(String kid, String audience, JsonObject times, String typ) {
        KeyPair pair = keys.computeIfAbsent(kid, k -> newPair());
        // Signed here rather than by vertx-auth-jwt, which always writes typ JWT.
        JsonObject header = new JsonObject().put("alg", "ES256").put("kid", kid);
        if (typ != null) {
            header.put("typ", typ);
        }
        JsonObject claims = times.copy().put("role", "child-worker").put("agency", "social-services")
                .put("authority", "leeds").put("sub", "worker-" + kid).put("iss", issuer())
                .put("aud", new JsonArray().add(audience));
        String input = b64(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
                + b64(claims.encode().getBytes(StandardCharsets.UTF_8));
        try {
            Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
            es256.initSign(pair.getPrivate());
            es256.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64(es256.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private static JsonObject jwk(String kid, ECPublicKey key) {
        return new JsonObject().put("kty", "EC").put("crv", "P-256").put("use", "sig").put("alg", "ES256")
                .put("kid", kid).put("x", coordinate(key.getW().getAffineX()))
                .put("y", coordinate(key.getW().getAffineY()));
    }

    private static String coordinate(BigInteger n) {
        byte[] bytes = n.toByteArray();
        byte[] fixed = new byte[32];
        int copy = Math.min(32, bytes.length);
        System.arraycopy(bytes, bytes.length - copy, fixed, 32 - copy, copy);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
    }

    private static KeyPair newPair() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            return gen.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "JwksServer" + Arrays.toString(published.toArray());
    }
}
