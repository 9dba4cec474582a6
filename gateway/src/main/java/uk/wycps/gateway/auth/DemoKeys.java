package uk.wycps.gateway.auth;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import uk.wycps.gateway.config.GatewayConfig;

/**
 * The demo issuer: a fixed ES256 key pair shipped in the jar so that {@code token} and
 * {@code demo} agree without set-up. Used only by those two commands; {@code serve} never
 * trusts it and refuses a configuration that does.
 */
public final class DemoKeys {

    public static final String ISSUER = "wycps-demo-issuer";
    public static final String ALGORITHM = "ES256";

    private DemoKeys() {
    }

    public static String verificationKeyPem() {
        return resource("/demo/demo-verification-key.pem");
    }

    /** Auth settings that trust the demo issuer. */
    public static GatewayConfig.Auth demoAuth() {
        return new GatewayConfig.Auth(ISSUER, GatewayConfig.Auth.DEFAULT_AUDIENCE,
                List.of(new GatewayConfig.VerificationKey(ALGORITHM, verificationKeyPem())), 30);
    }

    /** True when {@code pem} is the demo verification key (whatever its line breaks). */
    public static boolean isDemoKey(String pem) {
        return strip(pem).equals(strip(verificationKeyPem()));
    }

    /** A token signed with the demo key. */
    public static String mint(Vertx vertx, String subject, String role, String agency, String authority,
            List<String> authorisations, int ttlSeconds) {
        JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
                .setAlgorithm(ALGORITHM).setBuffer(resource("/demo/demo-signing-key.pem"))));
        long now = System.currentTimeMillis() / 1000;
        // exp and iat set here: the library's own timestamps are not relied on.
        JsonObject claims = new JsonObject().put("role", role).put("agency", agency)
                .put("iat", now).put("exp", now + ttlSeconds);
        if (authority != null) {
            claims.put("authority", authority);
        }
        if (authorisations != null && !authorisations.isEmpty()) {
            claims.put("authorisations", new JsonArray(List.copyOf(authorisations)));
        }
        return signer.generateToken(claims, new JWTOptions()
                .setAlgorithm(ALGORITHM)
                .setIssuer(ISSUER)
                .setAudience(List.of(GatewayConfig.Auth.DEFAULT_AUDIENCE))
                .setSubject(subject)
                .setNoTimestamp(true));
    }

    private static String strip(String pem) {
        return pem.replaceAll("\\s", "");
    }

    private static String resource(String name) {
        try (InputStream in = DemoKeys.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("demo key missing from the jar: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
