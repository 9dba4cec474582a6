package uk.wycps.gateway.audit;

import static uk.wycps.gateway.support.Answers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.Gateway;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.gateway.support.GatewayHarness;
import uk.wycps.gateway.support.TestIssuer;
import uk.wycps.mock.MockFederation;
import uk.wycps.mock.MockOptions;
import uk.wycps.mock.MockRegister;
import uk.wycps.mock.MockRegisters;
import uk.wycps.record.ChildRecord;

/**
 * The audit directory is its owner's alone (H1, H2, issue 14 item 7): made {@code 0700}, every
 * file in it (log, lock, keys, outbox journal) made {@code 0600} as it is created, and a
 * configured signing key that others may read stops start-up.
 */
@ExtendWith(VertxExtension.class)
class AuditFilePermissionsTest {

    @TempDir
    Path temp;

    @Test
    void theAuditDirectoryAndEveryFileInItAreTheOwnersOnly(Vertx vertx) throws Exception {
        MockFederation mocks = await(MockRegisters.start(vertx, MockOptions.defaults().withAuthorityDialects()
                .withChildrenPerRegister(20).withEphemeralPorts()));
        List<RegisterSettings> registers = new ArrayList<>();
        for (MockRegister r : mocks.registers()) {
            registers.add(r.connectorSettings());
        }
        Path auditDir = temp.resolve("new").resolve("audit");
        TestIssuer issuer = new TestIssuer(vertx);
        GatewayHarness gateway = await(GatewayHarness.startWithFileAudit(vertx, issuer, registers, auditDir));
        try {
            ChildRecord child = mocks.register("bradford").records().stream()
                    .filter(c -> c.givenName() != null && c.dateOfBirth() != null).findFirst().orElseThrow();
            // A Leeds worker: Bradford's match is notified, so the outbox journal is written too.
            assertEquals(200, await(gateway.enquire(issuer.token("child-worker", "social-services", "leeds"),
                    GatewayHarness.enquiry(child.givenName(), child.familyName(), child.dateOfBirth().toString())))
                    .statusCode());
        } finally {
            await(gateway.close());
            await(mocks.close());
        }
        assertEquals("rwx------", permissions(temp.resolve("new")), "a parent made for it too");
        assertEquals("rwx------", permissions(auditDir));
        List<Path> files;
        try (Stream<Path> all = Files.list(auditDir)) {
            files = all.filter(Files::isRegularFile).toList();
        }
        assertTrue(files.size() >= 4, "log, lock, keys and journal: " + files);
        for (Path f : files) {
            assertEquals("rw-------", permissions(f), f.getFileName().toString());
        }
    }

    @Test
    void aSigningKeyThatOthersMayReadStopsStartUp(Vertx vertx) throws Exception {
        Path keys = temp.resolve("keys");
        AuditKeys.loadOrCreate(keys);
        Path privateKey = keys.resolve(AuditKeys.PRIVATE_FILE);
        assertEquals("rw-------", permissions(privateKey), "a key made here is its owner's only");
        Files.setPosixFilePermissions(privateKey, PosixFilePermissions.fromString("rw-r--r--"));
        GatewayConfig config = new GatewayConfig(new GatewayConfig.Http("127.0.0.1", 0,
                GatewayConfig.Http.DEFAULT_MAX_BODY_BYTES, 5), new TestIssuer(vertx).auth(),
                List.of(RegisterSettings.of("leeds", "canonical-json", java.net.URI.create("http://127.0.0.1:9/leeds"))),
                new GatewayConfig.Audit(temp.resolve("audit"), privateKey, keys.resolve(AuditKeys.PUBLIC_FILE), 1000,
                        Map.of(), GatewayConfig.Audit.DEFAULT_RETENTION_DAYS), null);
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> await(Gateway.start(vertx, config)));
        assertTrue(refused.getCause().getMessage().contains("chmod 600"), refused.getCause().getMessage());
        // AND the same key stops a node of the PostgreSQL audit too (it was loaded unchecked there),
        // before any database is reached
        GatewayConfig onPostgres = new GatewayConfig(config.http(), config.auth(), config.registers(),
                new GatewayConfig.Audit(null, privateKey, keys.resolve(AuditKeys.PUBLIC_FILE), 1000, Map.of(),
                        GatewayConfig.Audit.DEFAULT_RETENTION_DAYS, new GatewayConfig.Postgres(
                                "postgresql://127.0.0.1:9/none", "nobody", temp.resolve("no-password"), "node-1",
                                java.time.Duration.ofSeconds(30))), null);
        ExecutionException refusedOnPostgres = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> await(Gateway.start(vertx, onPostgres)));
        assertTrue(refusedOnPostgres.getCause().getMessage().contains("chmod 600"),
                refusedOnPostgres.getCause().getMessage());
    }

    private static String permissions(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

}
