package uk.wycps.connector.proof;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;

/**
 * A register adapter's signature over what it answered (H2, issue 17): a JWS in compact form
 * whose payload names the authority and carries the SHA-256 digests of the request (method, path,
 * the gateway's fresh nonce for that exchange, and body) and of the answer's body. The gateway
 * checks it against the register's configured public key and keeps it in the audit entry, so that
 * {@code verify-audit} can later show which register said what, without keeping what it said.
 *
 * <p>Two algorithms, each fixed by the key, never by the JWS's own header (which could otherwise
 * choose a weaker check): an EC P-256 key signs and verifies ES256, an RSA key (2048 bits or more)
 * PS256 (RSASSA-PSS, SHA-256, MGF1 with SHA-256, 32-byte salt). On the JDK 17 the project runs on,
 * an ES256 check costs the gateway about 1.1 ms of CPU per answer and a PS256 check about 0.04 ms,
 * while a PS256 signature costs the adapter about 1.2 ms against ES256's 0.6 ms: the gateway checks
 * every register's answer to every enquiry, each adapter signs only its own ({@code
 * SignatureCostProbe}; docs/connectors.md).
 * Written with the JDK alone: {@code SHA256withECDSAinP1363Format} gives the r||s form JWS uses.
 */
public final class AnswerSignature {

    /** The response header that carries the signature. */
    public static final String HEADER = "X-Register-Signature";

    /**
     * The request header that carries a fresh random value for each signed exchange, covered by
     * the request's digest: without it two enquiries about the same child at the same tier send
     * byte-identical requests, and a signed answer saved from the first (say "no record") would
     * verify as the answer to the second, after the register had come to hold the child (F5).
     */
    public static final String NONCE_HEADER = "X-Request-Nonce";

    private static final java.security.SecureRandom NONCES = new java.security.SecureRandom();

    /** RSA keys below this are refused: 2048 bits is the least NIST allows for signatures. */
    public static final int MIN_RSA_BITS = 2048;

    /** A JWS algorithm as this class uses it: its header, and how the JDK computes it. */
    private enum Alg {
        ES256("SHA256withECDSAinP1363Format", null),
        PS256("RSASSA-PSS", new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));

        final String jdkName;
        final PSSParameterSpec parameters;
        final String joseHeader = b64(("{\"alg\":\"" + name() + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8));

        Alg(String jdkName, PSSParameterSpec parameters) {
            this.jdkName = jdkName;
            this.parameters = parameters;
        }

        Signature signature() throws GeneralSecurityException {
            Signature s = Signature.getInstance(jdkName);
            if (parameters != null) {
                s.setParameter(parameters);
            }
            return s;
        }

        /** The one algorithm {@code key} signs or verifies. */
        static Alg of(Key key) {
            if (key instanceof ECKey) {
                return ES256;
            }
            if (key instanceof RSAKey) {
                return PS256;
            }
            throw new IllegalArgumentException("an answer key is EC P-256 or RSA, not " + key.getAlgorithm());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private AnswerSignature() {
    }

    /** What is signed. {@code iat} is in seconds since the epoch. */
    public record Claims(String authority, String requestSha256, String bodySha256, long iat) {

        public Claims {
            Objects.requireNonNull(authority, "authority");
            Objects.requireNonNull(requestSha256, "requestSha256");
            Objects.requireNonNull(bodySha256, "bodySha256");
        }
    }

    /** A signature that does not verify, or a JWS that is not one of ours. */
    public static final class InvalidSignature extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidSignature(String reason) {
            super(reason);
        }
    }

    /** A fresh value for {@link #NONCE_HEADER}: 128 random bits. */
    public static String newNonce() {
        byte[] bytes = new byte[16];
        NONCES.nextBytes(bytes);
        return b64(bytes);
    }

    /**
     * The digest of a request as both sides see it: method, path with query, the request's
     * {@link #NONCE_HEADER} (null when it had none), and body.
     */
    public static String requestDigest(String method, String pathAndQuery, String nonce, byte[] body) {
        MessageDigest sha = sha256();
        sha.update((method + " " + pathAndQuery + "\n" + (nonce == null ? "" : nonce) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            sha.update(body);
        }
        return b64(sha.digest());
    }

    /** The digest of an answer's body. */
    public static String bodyDigest(byte[] body) {
        return b64(sha256().digest(body == null ? new byte[0] : body));
    }

    public static String sign(PrivateKey key, Claims claims) {
        try {
            Alg alg = Alg.of(key);
            String payload = b64(JSON.writeValueAsBytes(claims));
            String input = alg.joseHeader + "." + payload;
            Signature s = alg.signature();
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64(s.sign());
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("cannot sign an answer", e);
        }
    }

    /**
     * The claims of {@code jws} when {@code key} verifies it with the key's own algorithm;
     * otherwise {@link InvalidSignature} (a JWS naming another algorithm included).
     */
    public static Claims verify(PublicKey key, String jws) throws InvalidSignature {
        if (jws == null || jws.length() > 4096) {
            throw new InvalidSignature("no signature");
        }
        Alg alg = Alg.of(key);
        String[] parts = jws.split("\\.", -1);
        if (parts.length != 3 || !alg.joseHeader.equals(parts[0])) {
            throw new InvalidSignature("not an " + alg + " answer signature");
        }
        try {
            Signature s = alg.signature();
            s.initVerify(key);
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!s.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                throw new InvalidSignature("signature does not verify");
            }
            return JSON.readValue(Base64.getUrlDecoder().decode(parts[1]), Claims.class);
        } catch (GeneralSecurityException | IllegalArgumentException | java.io.IOException e) {
            throw new InvalidSignature("signature does not verify");
        }
    }

    /** An EC P-256 or RSA (2048 bits or more) private key from PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
    public static PrivateKey privateKey(String pem) {
        return key(Pem.decode(pem, "PRIVATE KEY"), "private key in PKCS#8 PEM",
                (factory, der) -> factory.generatePrivate(new PKCS8EncodedKeySpec(der)));
    }

    /** An EC P-256 or RSA (2048 bits or more) public key from PEM ({@code -----BEGIN PUBLIC KEY-----}). */
    public static PublicKey publicKey(String pem) {
        return key(Pem.decode(pem, "PUBLIC KEY"), "public key in PEM",
                (factory, der) -> factory.generatePublic(new X509EncodedKeySpec(der)));
    }

    /** How one kind of key is read from its DER by a key factory. */
    @FunctionalInterface
    private interface KeyReader<K extends Key> {
        K read(KeyFactory factory, byte[] der) throws GeneralSecurityException;
    }

    /** {@code der} read as an EC key, else as an RSA key, and checked. */
    private static <K extends Key> K key(byte[] der, String what, KeyReader<K> reader) {
        for (String type : new String[] {"EC", "RSA"}) {
            try {
                return checked(reader.read(KeyFactory.getInstance(type), der));
            } catch (GeneralSecurityException e) {
                // the other type, then
            }
        }
        throw new IllegalArgumentException("not an EC or RSA " + what);
    }

    private static <K extends Key> K checked(K key) {
        if (key instanceof RSAKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new IllegalArgumentException("an RSA answer key has at least " + MIN_RSA_BITS + " bits");
        }
        if (key instanceof ECKey ec && ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new IllegalArgumentException("an EC answer key is on P-256");
        }
        return key;
    }

    /** PEM of a key's encoded form ({@code PRIVATE KEY} for PKCS#8, {@code PUBLIC KEY} for X.509). */
    public static String pem(String type, byte[] encoded) {
        return Pem.encode(type, encoded);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
