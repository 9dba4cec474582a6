package uk.wycps.benchmarks.adapter;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import uk.wycps.connector.proof.AnswerSignature;

/**
 * What an answer's signature costs each side (issue 17's hop; issue 21's cost per enquiry): the
 * adapter signs every answer it gives, the gateway checks every answer it gets, from every
 * register behind an adapter, for every enquiry. Signs and checks a typical claim set with an
 * ES256 key (EC P-256) and a PS256 key (RSA 2048) through {@link AnswerSignature} itself, and
 * prints the thread CPU per signature and per check, after the same number of warm-up rounds.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar uk.wycps.benchmarks.adapter.SignatureCostProbe
 * [operations] [rounds]} (defaults 2000 and 4; the last round is the one to read).
 */
public final class SignatureCostProbe {

    private SignatureCostProbe() {
    }

    public static void main(String[] args) throws Exception {
        int operations = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        AnswerSignature.Claims claims = new AnswerSignature.Claims("leeds",
                AnswerSignature.requestDigest("POST", "/search", AnswerSignature.newNonce(), "{\"criteria\":{}}".getBytes(StandardCharsets.UTF_8)),
                AnswerSignature.bodyDigest("{\"records\":[]}".getBytes(StandardCharsets.UTF_8)), 1_764_547_200L);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        System.out.println("| key | round | sign, µs CPU each | check, µs CPU each |");
        System.out.println("| --- | ---: | ---: | ---: |");
        for (KeyPair pair : new KeyPair[] {ec.generateKeyPair(), rsa.generateKeyPair()}) {
            String name = pair.getPublic().getAlgorithm().equals("EC") ? "ES256 (EC P-256)" : "PS256 (RSA 2048)";
            for (int round = 1; round <= rounds; round++) {
                String jws = null;
                long t0 = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < operations; i++) {
                    jws = AnswerSignature.sign(pair.getPrivate(), claims);
                }
                long t1 = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < operations; i++) {
                    AnswerSignature.verify(pair.getPublic(), jws);
                }
                long t2 = cpu.getCurrentThreadCpuTime();
                System.out.printf("| %s | %d | %.0f | %.0f |%n", name, round, (t1 - t0) / 1000.0 / operations,
                        (t2 - t1) / 1000.0 / operations);
            }
        }
    }
}
