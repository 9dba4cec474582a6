package uk.wycps.gateway.audit;

import uk.wycps.connector.proof.Pem;
import uk.wycps.gateway.durable.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The gateway's own signing key for audit checkpoints and purge markers (ES256, P-256), and its
 * public half for {@code verify-audit}. Distinct from any token key: the gateway signs with it,
 * nobody else does.
 */
public final class AuditKeys {

    public static final String PRIVATE_FILE = "audit-signing-key.pem";
    public static final String PUBLIC_FILE = "audit-signing-key.pub.pem";
    private static final String ALGORITHM = "SHA256withECDSA";

    private AuditKeys() {
    }

    /** Signs with the private key. Thread-safe. */
    public static final class Signer {
        private final PrivateKey key;
        private final String keyId;

        Signer(PrivateKey key, PublicKey publicKey) {
            this.key = key;
            this.keyId = idOf(publicKey);
        }

        public String keyId() {
            return keyId;
        }

        public String sign(String payload) {
            try {
                Signature s = Signature.getInstance(ALGORITHM);
                s.initSign(key);
                s.update(payload.getBytes(StandardCharsets.UTF_8));
                return Base64.getEncoder().encodeToString(s.sign());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("audit signing failed", e);
            }
        }
    }

    /** Verifies with the public key. */
    public static final class Verifier {
        private final PublicKey key;
        private final String keyId;

        Verifier(PublicKey key) {
            this.key = key;
            this.keyId = idOf(key);
        }

        public String keyId() {
            return keyId;
        }

        public boolean verify(String payload, String signature) {
            try {
                Signature s = Signature.getInstance(ALGORITHM);
                s.initVerify(key);
                s.update(payload.getBytes(StandardCharsets.UTF_8));
                return s.verify(Base64.getDecoder().decode(signature));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                return false;
            }
        }
    }

    /**
     * The signer kept in {@code directory}, made on first use (demo and tests); the private key
     * file is readable by its owner only.
     */
    public static Signer loadOrCreate(Path directory) throws IOException {
        Path priv = directory.resolve(PRIVATE_FILE);
        Path pub = directory.resolve(PUBLIC_FILE);
        if (!Files.exists(priv)) {
            PrivateFiles.createDirectories(directory);
            KeyPair pair = generate();
            PrivateFiles.writeString(pub, Pem.encode("PUBLIC KEY", pair.getPublic().getEncoded()));
            // 0600 from its creation: never readable by another user, not even for a moment
            PrivateFiles.writeString(priv, Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded()));
        }
        return signer(Files.readString(priv), Files.readString(pub));
    }

    public static Signer signer(String privatePem, String publicPem) {
        try {
            KeyFactory ec = KeyFactory.getInstance("EC");
            PrivateKey key = ec.generatePrivate(new PKCS8EncodedKeySpec(Pem.decode(privatePem, "PRIVATE KEY")));
            return new Signer(key, publicKey(publicPem));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an EC private key in PKCS#8 PEM");
        }
    }

    public static Verifier verifier(String publicPem) {
        return new Verifier(publicKey(publicPem));
    }

    private static PublicKey publicKey(String pem) {
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Pem.decode(pem, "PUBLIC KEY")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an EC public key in PEM");
        }
    }

    static KeyPair generate() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            return gen.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String idOf(PublicKey key) {
        return HexFormat.of().formatHex(HashChain.sha256().digest(key.getEncoded())).substring(0, 16);
    }
}
