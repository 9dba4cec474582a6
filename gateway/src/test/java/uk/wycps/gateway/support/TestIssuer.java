package uk.wycps.gateway.support;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import uk.wycps.gateway.config.GatewayConfig;

/**
 * A token issuer made fresh for each test run: a real ES256 key pair, real signatures, and the
 * malformed and malicious tokens an attacker would try.
 */
public final class TestIssuer {

    public static final String ISSUER = "https://idp.test.wycps";
    public static final String AUDIENCE = "wycps-gateway";

    private final KeyPair keys;
    private final JWTAuth signer;

    public TestIssuer(Vertx vertx) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            keys = gen.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
                .setAlgorithm("ES256").setBuffer(pem("PRIVATE KEY", keys.getPrivate().getEncoded()))));
    }

    public String publicKeyPem() {
        return pem("PUBLIC KEY", keys.getPublic().getEncoded());
    }

    /** Auth settings that trust this issuer. */
    public GatewayConfig.Auth auth() {
        return new GatewayConfig.Auth(ISSUER, AUDIENCE, List.of(new GatewayConfig.VerificationKey("ES256", publicKeyPem())),
                0);
    }

    /** A valid token for a caller. */
    public String token(String role, String agency, String authority, String... authorisations) {
        JsonObject claims = new JsonObject().put("role", role).put("agency", agency);
        if (authority != null) {
            claims.put("authority", authority);
        }
        if (authorisations.length > 0) {
            claims.put("authorisations", new JsonArray(List.of(authorisations)));
        }
        return sign(claims, ISSUER, AUDIENCE, 600);
    }

    /** A valid token for a caller named {@code subject}. */
    public String tokenAs(String subject, String role, String agency, String authority, String... authorisations) {
        JsonObject claims = new JsonObject().put("role", role).put("agency", agency);
        if (authority != null) {
            claims.put("authority", authority);
        }
        if (authorisations.length > 0) {
            claims.put("authorisations", new JsonArray(List.of(authorisations)));
        }
        long now = System.currentTimeMillis() / 1000;
        return signer.generateToken(claims.put("iat", now).put("exp", now + 600), new JWTOptions().setAlgorithm("ES256")
                .setSubject(subject).setIssuer(ISSUER).setAudience(List.of(AUDIENCE)).setNoTimestamp(true));
    }

    /** A token with the given claims, signed with the right key. */
    public String sign(JsonObject claims, String issuer, String audience, int ttlSeconds) {
        long now = System.currentTimeMillis() / 1000;
        JsonObject withTimes = claims.copy().put("iat", now).put("exp", now + ttlSeconds);
        JWTOptions options = new JWTOptions().setAlgorithm("ES256").setSubject("worker-17").setIssuer(issuer)
                .setNoTimestamp(true);
        if (audience != null) {
            options.setAudience(List.of(audience));
        }
        return signer.generateToken(withTimes, options);
    }

    /** A token whose exp is long past (signed correctly). */
    public String expired(String role, String agency, String authority) {
        long now = System.currentTimeMillis() / 1000;
        JsonObject claims = new JsonObject().put("role", role).put("agency", agency).put("authority", authority)
                .put("exp", now - 3600).put("iat", now - 7200);
        return signer.generateToken(claims, new JWTOptions().setAlgorithm("ES256").setSubject("worker-17")
                .setIssuer(ISSUER).setAudience(List.of(AUDIENCE)).setNoTimestamp(true));
    }

    /** A token with no exp at all (signed correctly). */
    public String withoutExpiry(String role, String agency, String authority) {
        JsonObject claims = new JsonObject().put("role", role).put("agency", agency).put("authority", authority)
                .put("iat", System.currentTimeMillis() / 1000);
        return signer.generateToken(claims, new JWTOptions().setAlgorithm("ES256").setSubject("worker-17")
                .setIssuer(ISSUER).setAudience(List.of(AUDIENCE)).setNoTimestamp(true));
    }

    /** An unsigned {@code alg: none} token with otherwise valid claims. */
    public static String unsigned(String role, String agency, String authority) {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        return header + "." + b64(claims(role, agency, authority).encode()) + ".";
    }

    /** An HS256 token "signed" with this issuer's public key PEM as the HMAC secret. */
    public String hmacWithPublicKey(String role, String agency, String authority) throws Exception {
        String signingInput = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + b64(claims(role, agency, authority).encode());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(publicKeyPem().getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        return signingInput + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    /** A valid token with its signature's last characters changed. */
    public String tampered(String role, String agency, String authority) {
        String t = token(role, agency, authority);
        char last = t.charAt(t.length() - 5);
        return t.substring(0, t.length() - 5) + (last == 'A' ? 'B' : 'A') + t.substring(t.length() - 4);
    }

    private static JsonObject claims(String role, String agency, String authority) {
        long now = System.currentTimeMillis() / 1000;
        return new JsonObject().put("iss", ISSUER).put("aud", AUDIENCE).put("sub", "attacker").put("iat", now)
                .put("exp", now + 600).put("role", role).put("agency", agency).put("authority", authority);
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
