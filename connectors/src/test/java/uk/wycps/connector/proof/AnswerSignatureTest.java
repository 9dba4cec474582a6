package uk.wycps.connector.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The answer signature's two algorithms (issue 17; PS256 added for the gateway's cost, issue 21):
 * each signs and verifies through the PEM forms the adapter and the gateway exchange; the key,
 * never the JWS's header, decides the algorithm, so a signature of one kind does not verify under
 * a key of the other and a header naming anything else is refused; keys too weak are refused.
 */
class AnswerSignatureTest {

    private static final AnswerSignature.Claims CLAIMS = new AnswerSignature.Claims("leeds",
            AnswerSignature.requestDigest("POST", "/search", AnswerSignature.newNonce(), "{}".getBytes(StandardCharsets.UTF_8)),
            AnswerSignature.bodyDigest("{\"records\":[]}".getBytes(StandardCharsets.UTF_8)), 1_764_547_200L);

    private static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    private static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
    }

    /** The pair as the adapter and the gateway read it: through PEM. */
    private static KeyPair throughPem(KeyPair pair) {
        return new KeyPair(AnswerSignature.publicKey(AnswerSignature.pem("PUBLIC KEY", pair.getPublic().getEncoded())),
                AnswerSignature.privateKey(AnswerSignature.pem("PRIVATE KEY", pair.getPrivate().getEncoded())));
    }

    private static String header(String jws) {
        return new String(Base64.getUrlDecoder().decode(jws.substring(0, jws.indexOf('.'))), StandardCharsets.UTF_8);
    }

    @Test
    void anEcKeySignsEs256AndAnRsaKeyPs256AndEachVerifiesWhatItSigned() throws Exception {
        for (KeyPair pair : new KeyPair[] {throughPem(ec("secp256r1")), throughPem(rsa(2048))}) {
            String jws = AnswerSignature.sign(pair.getPrivate(), CLAIMS);
            String alg = pair.getPublic().getAlgorithm().equals("EC") ? "ES256" : "PS256";
            assertEquals("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}", header(jws));
            assertEquals(CLAIMS, AnswerSignature.verify(pair.getPublic(), jws));
            // a payload changed after signing does not verify
            String[] parts = jws.split("\\.");
            String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    "{\"authority\":\"bradford\",\"requestSha256\":\"x\",\"bodySha256\":\"y\",\"iat\":1}"
                            .getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
            assertThrows(AnswerSignature.InvalidSignature.class, () -> AnswerSignature.verify(pair.getPublic(), forged));
        }
    }

    @Test
    void theKeyNotTheHeaderDecidesTheAlgorithm() throws Exception {
        KeyPair ec = ec("secp256r1");
        KeyPair rsa = rsa(2048);
        String es256 = AnswerSignature.sign(ec.getPrivate(), CLAIMS);
        String ps256 = AnswerSignature.sign(rsa.getPrivate(), CLAIMS);
        // one kind does not verify under a key of the other
        assertThrows(AnswerSignature.InvalidSignature.class, () -> AnswerSignature.verify(rsa.getPublic(), es256));
        assertThrows(AnswerSignature.InvalidSignature.class, () -> AnswerSignature.verify(ec.getPublic(), ps256));
        // a header naming another algorithm is refused before any check
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + ps256.substring(ps256.indexOf('.'), ps256.lastIndexOf('.') + 1);
        assertThrows(AnswerSignature.InvalidSignature.class, () -> AnswerSignature.verify(rsa.getPublic(), none));
        // the controls: each under its own key
        assertEquals(CLAIMS, AnswerSignature.verify(ec.getPublic(), es256));
        assertEquals(CLAIMS, AnswerSignature.verify(rsa.getPublic(), ps256));
    }

    @Test
    void rsaKeysUnder2048BitsAndEcKeysOffP256AreRefused() throws Exception {
        KeyPair small = rsa(1024);
        KeyPair p384 = ec("secp384r1");
        for (KeyPair weak : new KeyPair[] {small, p384}) {
            String publicPem = AnswerSignature.pem("PUBLIC KEY", weak.getPublic().getEncoded());
            String privatePem = AnswerSignature.pem("PRIVATE KEY", weak.getPrivate().getEncoded());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AnswerSignature.publicKey(publicPem));
            assertTrue(e.getMessage().contains("2048") || e.getMessage().contains("P-256"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> AnswerSignature.privateKey(privatePem));
        }
    }
}
