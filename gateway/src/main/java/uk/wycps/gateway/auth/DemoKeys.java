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
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import uk.wycps.connector.proof.Pem;
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

    /**
     * True when {@code pem} holds the demo verification key's material, however it is written
     * (line breaks, headers, another encoding of the same key): keys are compared, not text.
     */
    public static boolean isDemoKey(String pem) {
        // Every block, and whatever surrounds them: Vert.x reads the first PEM block, under several
        // labels, and ignores the rest, so a demo key followed by a comment line or a second key is
        // still the demo key it will trust (it once passed this check, decoded as one undecodable whole).
        for (byte[] der : Pem.blocks(pem)) {
            PublicKey key = publicKey(der);
            if (key != null && isDemoKey(key)) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code key} is the demo verification key. */
    public static boolean isDemoKey(PublicKey key) {
        PublicKey demo = publicKey(Pem.decode(verificationKeyPem(), "PUBLIC KEY"));
        return demo != null && key.getAlgorithm().equals(demo.getAlgorithm())
                && Arrays.equals(key.getEncoded(), demo.getEncoded());
    }

    /** The public key (EC or RSA) of an X.509 encoding; null when it is none. */
    static PublicKey publicKey(byte[] der) {
        for (String algorithm : new String[] {"EC", "RSA"}) {
            try {
                // Re-encoded by the factory, so two encodings of one key compare equal.
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        return null;
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
