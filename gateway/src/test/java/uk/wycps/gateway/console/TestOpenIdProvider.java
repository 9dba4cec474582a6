package uk.wycps.gateway.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small OpenID provider for the console's tests: discovery, an authorisation endpoint that
 * signs the configured user in at once, a token endpoint that checks the code, the redirect
 * address and the PKCE verifier (S256), and a key set. ID tokens are real ES256 signatures with
 * a key made for the run; {@link #signWithAnotherKey} makes it sign with a key it does not
 * publish, as an attacker's provider would.
 */
final class TestOpenIdProvider {

    static final String CLIENT_ID = "wycps-console";
    private static final String KID = "test-idp-1";

    private final KeyPair keys = ecKeys();
    private final JWTAuth signer;
    private final JWTAuth impostor;
    private final Map<String, JsonObject> codes = new ConcurrentHashMap<>();
    volatile JsonObject user = new JsonObject();
    volatile boolean signWithAnotherKey;
    private HttpServer server;

    TestOpenIdProvider(Vertx vertx) {
        signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256")
                .setId(KID).setBuffer(pem("PRIVATE KEY", keys.getPrivate().getEncoded()))));
        impostor = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256")
                .setId(KID).setBuffer(pem("PRIVATE KEY", ecKeys().getPrivate().getEncoded()))));
    }

    Future<TestOpenIdProvider> start(Vertx vertx) {
        Router router = Router.router(vertx);
        router.get("/.well-known/openid-configuration").handler(ctx -> ctx.json(new JsonObject()
                .put("issuer", issuer())
                .put("authorization_endpoint", issuer() + "/authorize")
                .put("token_endpoint", issuer() + "/token")
                .put("jwks_uri", issuer() + "/jwks")
                .put("response_types_supported", new JsonArray().add("code"))
                .put("subject_types_supported", new JsonArray().add("public"))
                .put("id_token_signing_alg_values_supported", new JsonArray().add("ES256"))
                .put("code_challenge_methods_supported", new JsonArray().add("S256"))));
        router.get("/jwks").handler(ctx -> ctx.json(new JsonObject().put("keys", new JsonArray().add(jwk()))));
        router.get("/authorize").handler(ctx -> {
            var p = ctx.request().params();
            if (!CLIENT_ID.equals(p.get("client_id")) || !"S256".equals(p.get("code_challenge_method"))
                    || p.get("code_challenge") == null || !"code".equals(p.get("response_type"))) {
                ctx.response().setStatusCode(400).end("bad authorisation request");
                return;
            }
            String code = UUID.randomUUID().toString();
            codes.put(code, new JsonObject().put("challenge", p.get("code_challenge")).put("nonce", p.get("nonce"))
                    .put("redirect", p.get("redirect_uri")));
            ctx.response().setStatusCode(302).putHeader("Location", p.get("redirect_uri") + "?code=" + code + "&state="
                    + p.get("state")).end();
        });
        router.post("/token").handler(BodyHandler.create()).handler(ctx -> {
            var f = ctx.request().formAttributes();
            JsonObject issued = codes.remove(String.valueOf(f.get("code")));
            if (issued == null || !issued.getString("redirect").equals(f.get("redirect_uri")) || f.get("code_verifier") == null
                    || !OidcSignIn.challenge(f.get("code_verifier")).equals(issued.getString("challenge"))) {
                ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("error", "invalid_grant").encode());
                return;
            }
            long now = System.currentTimeMillis() / 1000;
            JsonObject claims = user.copy().put("nonce", issued.getString("nonce")).put("iat", now).put("exp", now + 300);
            String idToken = (signWithAnotherKey ? impostor : signer).generateToken(claims, new JWTOptions()
                    .setAlgorithm("ES256").setIssuer(issuer()).setAudience(List.of(CLIENT_ID))
                    .setSubject(user.getString("sub", "practitioner-1")).setNoTimestamp(true));
            ctx.json(new JsonObject().put("access_token", "opaque-" + UUID.randomUUID()).put("token_type", "Bearer")
                    .put("expires_in", 300).put("id_token", idToken));
        });
        return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").map(s -> {
            server = s;
            return this;
        });
    }

    String issuer() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    String publicKeyPem() {
        return pem("PUBLIC KEY", keys.getPublic().getEncoded());
    }

    Future<Void> close() {
        return server.close();
    }

    private JsonObject jwk() {
        ECPublicKey pub = (ECPublicKey) keys.getPublic();
        return new JsonObject().put("kty", "EC").put("crv", "P-256").put("kid", KID).put("use", "sig").put("alg", "ES256")
                .put("x", coordinate(pub.getW().getAffineX())).put("y", coordinate(pub.getW().getAffineY()));
    }

    private static String coordinate(BigInteger v) {
        byte[] bytes = v.toByteArray();
        byte[] fixed = new byte[32];
        int from = Math.max(0, bytes.length - 32);
        System.arraycopy(bytes, from, fixed, 32 - (bytes.length - from), bytes.length - from);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
    }

    private static KeyPair ecKeys() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            return gen.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

}
