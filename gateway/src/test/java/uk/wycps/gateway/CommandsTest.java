package uk.wycps.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static uk.wycps.gateway.support.Answers.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import uk.wycps.gateway.audit.AuditEntries;
import uk.wycps.gateway.audit.AuditKeys;
import uk.wycps.gateway.audit.FileAuditSink;
import uk.wycps.gateway.auth.DemoKeys;
import uk.wycps.gateway.auth.TokenVerifier;
import uk.wycps.policy.Caller;

/**
 * Verifies the {@code token} and {@code verify-audit} commands of API.md as a user runs them:
 * the token the demo prints is accepted by the demo's verifier with the claims asked for (A1),
 * and {@code verify-audit} says intact (exit 0) for a log the sink wrote and reports a changed
 * one (exit 1) (H2).
 */
@ExtendWith(VertxExtension.class)
class CommandsTest {

    @TempDir
    Path dir;

    /** Runs the gateway's command line and returns its exit code and what it printed. */
    private static Run run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new GatewayMain()).execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8).trim());
        } finally {
            System.setOut(original);
        }
    }

    private record Run(int code, String out) {
    }

    @Test
    void theTokenCommandPrintsATokenTheDemoGatewayAcceptsWithTheClaimsAskedFor(Vertx vertx) throws Exception {
        // WHEN a token is minted on the command line
        Run run = run("token", "--role", "cp-coordinator", "--agency", "social-services", "--authority", "leeds",
                "--authorise", "cross-authority:bradford", "--subject", "tester-7", "--ttl", "600");
        // THEN it is one JWT, and the demo's verifier accepts it with exactly those claims
        assertEquals(0, run.code());
        assertEquals(3, run.out().split("\\.").length, run.out());
        TokenVerifier verifier = TokenVerifier.create(vertx, DemoKeys.demoAuth(),
                Set.of("bradford", "calderdale", "kirklees", "leeds", "wakefield"));
        Caller caller = await(verifier.verify("Bearer " + run.out()));
        assertEquals("cp-coordinator", caller.role().code());
        assertEquals("social-services", caller.agency().code());
        assertEquals("leeds", caller.authority());
        assertEquals("tester-7", caller.subject());
        assertEquals(Set.of("cross-authority:bradford"), Set.copyOf(caller.authorisations()));
    }

    @Test
    void theTokenCommandRefusesAMissingRole() {
        assertNotEquals(0, run("token", "--agency", "police").code());
    }

    @Test
    void verifyAuditSaysIntactForALogTheSinkWroteAndReportsAChangedOne(Vertx vertx) throws Exception {
        // GIVEN a log of 50 entries written by the real sink
        Path audit = dir.resolve("audit");
        Files.createDirectories(audit);
        AuditKeys.Signer signer = AuditKeys.loadOrCreate(audit);
        await(FileAuditSink.open(vertx, audit, signer, 10, c -> { }).compose(sink -> {
            List<Future<Void>> all = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                all.add(sink.append(AuditEntries.answered(i)));
            }
            return Future.all(all).compose(v -> sink.close());
        }));
        // WHEN verify-audit is run THEN it says intact and exits 0
        Run intact = run("verify-audit", "--audit", audit.toString());
        assertEquals(0, intact.code(), intact.out());
        assertTrue(intact.out().contains("intact"), intact.out());
        // WHEN one entry is changed THEN it exits 1 and names the entry
        Path file = audit.resolve(FileAuditSink.FILE_NAME);
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        lines.set(20, lines.get(20).replace("\"answered\"", "\"refused\""));
        Files.write(file, lines, StandardCharsets.UTF_8);
        Run changed = run("verify-audit", "--audit", audit.toString());
        assertEquals(1, changed.code(), changed.out());
        assertTrue(changed.out().contains("21"), changed.out());
    }
}
