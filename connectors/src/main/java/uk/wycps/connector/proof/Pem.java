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

    /**
     * The encoded contents of every block in {@code pem}, whatever its label, in order; a block
     * that is not base64 is left out. For checks that must see what any reader of the text
     * might take (one reads the first block under several labels, another the last).
     */
    public static java.util.List<byte[]> blocks(String pem) {
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        java.util.regex.Matcher block = BLOCK.matcher(pem);
        while (block.find()) {
            try {
                out.add(Base64.getMimeDecoder().decode(block.group(1)));
            } catch (IllegalArgumentException e) {
                // not a key's encoding: nothing to compare
            }
        }
        return out;
    }

    private static final java.util.regex.Pattern BLOCK =
            java.util.regex.Pattern.compile("-----BEGIN [A-Z ]+-----([\\s\\S]*?)-----END [A-Z ]+-----");

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
