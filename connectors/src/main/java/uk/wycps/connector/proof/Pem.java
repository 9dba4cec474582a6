package uk.wycps.connector.proof;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * PEM text of a key's encoded form, both ways: {@code PRIVATE KEY} for PKCS#8, {@code PUBLIC KEY}
 * for X.509. One home for the register adapter's answer keys and the gateway's audit keys.
 */
public final class Pem {

    private Pem() {
    }

    /** {@code der} as PEM of {@code type}, lines of 64 characters. */
    public static String encode(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** The encoded key between the {@code type} markers of {@code pem}; refused when there is none. */
    public static byte[] decode(String pem, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("no " + type + " in the PEM text");
        }
        return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    }
}
