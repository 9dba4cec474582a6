package uk.wycps.connector.proof;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;

/**
 * A register adapter's signature over what it answered (H2, issue 17): a JWS in compact form,
 * ES256 (ECDSA P-256 with SHA-256), whose payload names the authority and carries the SHA-256
 * digests of the request (method, path and body) and of the answer's body. The gateway checks
 * it against the register's configured public key and keeps it in the audit entry, so that
 * {@code verify-audit} can later show which register said what, without keeping what it said.
 *
 * <p>Written with the JDK alone: {@code SHA256withECDSAinP1363Format} gives the r||s form that
 * JWS uses, so no DER conversion and no JOSE library are needed for one fixed algorithm.
 */
public final class AnswerSignature {

    /** The response header that carries the signature. */
    public static final String HEADER = "X-Register-Signature";

    private static final String ALGORITHM = "SHA256withECDSAinP1363Format";
    private static final String JOSE_HEADER = b64("{\"alg\":\"ES256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
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

    /** The digest of a request as both sides see it: method, path with query, and body. */
    public static String requestDigest(String method, String pathAndQuery, byte[] body) {
        MessageDigest sha = sha256();
        sha.update((method + " " + pathAndQuery + "\n").getBytes(StandardCharsets.UTF_8));
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
            String payload = b64(JSON.writeValueAsBytes(claims));
            String input = JOSE_HEADER + "." + payload;
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64(s.sign());
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("cannot sign an answer", e);
        }
    }

    /** The claims of {@code jws} when {@code key} verifies it; otherwise {@link InvalidSignature}. */
    public static Claims verify(PublicKey key, String jws) throws InvalidSignature {
        if (jws == null || jws.length() > 4096) {
            throw new InvalidSignature("no signature");
        }
        String[] parts = jws.split("\\.", -1);
        if (parts.length != 3 || !JOSE_HEADER.equals(parts[0])) {
            throw new InvalidSignature("not an ES256 answer signature");
        }
        try {
            Signature s = Signature.getInstance(ALGORITHM);
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

    /** An EC private key from PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
    public static PrivateKey privateKey(String pem) {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Pem.decode(pem, "PRIVATE KEY")));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an EC private key in PKCS#8 PEM", e);
        }
    }

    /** An EC public key from PEM ({@code -----BEGIN PUBLIC KEY-----}). */
    public static PublicKey publicKey(String pem) {
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Pem.decode(pem, "PUBLIC KEY")));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an EC public key in PEM", e);
        }
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
