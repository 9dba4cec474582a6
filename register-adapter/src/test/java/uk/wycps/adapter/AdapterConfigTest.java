package uk.wycps.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.wycps.connector.proof.AnswerSignature;

/**
 * Verifies that an adapter's configuration is checked at start-up (issue 17): plain HTTP only
 * when said, every answer signed, the release ceiling made only of canonical fields (and always
 * the record id), and nothing unknown taken silently.
 */
class AdapterConfigTest {

    @TempDir
    Path dir;

    @BeforeEach
    void signingKey() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        Files.writeString(dir.resolve("sign.key"), AnswerSignature.pem("PRIVATE KEY", ec.generateKeyPair().getPrivate()
                .getEncoded()));
        for (String f : new String[] {"adapter.pem", "adapter.key", "gateway-ca.pem"}) {
            Files.writeString(dir.resolve(f), "PEM");
        }
        ownerOnly("sign.key", "adapter.key");
    }

    private void ownerOnly(String... keys) throws Exception {
        if (POSIX) {
            for (String key : keys) {
                Files.setPosixFilePermissions(dir.resolve(key), PosixFilePermissions.fromString("rw-------"));
            }
        }
    }

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    /**
     * Verifies that the adapter does not start with a private key others on the machine may read
     * or write (issue 14: key files never readable by others), naming the setting, for its TLS key
     * and its answer-signing key alike; the same files its owner's alone are taken (the control).
     */
    @Test
    void aPrivateKeyFileThatGroupOrOthersMayReadStopsStartUpNamingIt() throws Exception {
        assumeTrue(POSIX, "POSIX permissions");
        for (String key : List.of("adapter.key", "sign.key")) {
            for (String open : List.of("rw-r-----", "rw----r--", "rw--w----")) {
                Files.setPosixFilePermissions(dir.resolve(key), PosixFilePermissions.fromString(open));
                String message = refusal(valid());
                assertTrue(message.startsWith(key.equals("sign.key") ? "signingKeyFile: " : "tls.keyFile: ")
                        && message.contains("chmod 600"), key + " " + open + ": " + message);
            }
            ownerOnly(key);
        }
        assertEquals("leeds", AdapterConfig.from(valid(), dir).authority());
    }

    /**
     * Verifies that the register's password may sit in a file beside the configuration, as
     * docs/connectors.md's example has it ({@code register.options.passwordFile}): named relative
     * to the configuration, handed to the connector as an absolute path, and held to the keys'
     * rule (a file group or others may read or write stops start-up, naming the setting).
     */
    @Test
    void theRegistersPasswordFileIsResolvedBesideTheConfigurationAndMustBeItsOwnersAlone() throws Exception {
        Files.writeString(dir.resolve("db-password"), "secret\n");
        ownerOnly("db-password");
        JsonObject config = valid();
        config.getJsonObject("register").put("options", new JsonObject().put("user", "wycps_reader")
                .put("passwordFile", "db-password"));
        assertEquals(dir.resolve("db-password").toAbsolutePath().toString(),
                AdapterConfig.from(config, dir).register().options().getString("passwordFile"));
        if (POSIX) {
            for (String open : List.of("rw-r-----", "rw----r--", "rw-r--r--")) {
                Files.setPosixFilePermissions(dir.resolve("db-password"), PosixFilePermissions.fromString(open));
                String message = refusal(config);
                assertTrue(message.startsWith("register.options.passwordFile: ") && message.contains("chmod 600"),
                        open + ": " + message);
            }
        }
        config.getJsonObject("register").getJsonObject("options").put("passwordFile", "missing");
        assertTrue(refusal(config).startsWith("register.options.passwordFile: cannot read"));
    }

    private JsonObject valid() {
        return new JsonObject().put("authority", "leeds")
                .put("listen", new JsonObject().put("port", 0))
                .put("tls", new JsonObject().put("certFile", "adapter.pem").put("keyFile", "adapter.key")
                        .put("clientCaFile", "gateway-ca.pem").put("clientSubject", "CN=wycps-gateway"))
                .put("signingKeyFile", "sign.key")
                .put("register", new JsonObject().put("dialect", "sql-jdbc").put("baseUrl", "jdbc:h2:mem:leeds")
                        .put("deadlineMs", 1500))
                .put("release", new JsonArray().add("givenName").add("familyName").add("dateOfBirth"));
    }

    private String refusal(JsonObject config) {
        return assertThrows(IllegalArgumentException.class, () -> AdapterConfig.from(config, dir)).getMessage();
    }

    @Test
    void aValidConfigurationReadsWithTheRecordIdAlwaysReleased() throws Exception {
        AdapterConfig config = AdapterConfig.from(valid(), dir);
        assertEquals("leeds", config.authority());
        assertTrue(config.release().contains("recordId"));
        assertFalse(config.release().contains("address"));
        assertEquals("CN=wycps-gateway", config.tls().clientSubject());
        assertEquals(1500, config.register().deadline().toMillis());
        assertEquals(dir.resolve("gateway-ca.pem").toString(), config.tls().clientCaFile());
    }

    @Test
    void plainHttpIsRefusedUnlessTheConfigurationSaysInsecure() throws Exception {
        JsonObject config = valid();
        config.remove("tls");
        assertTrue(refusal(config).contains("tls is required"));
        assertEquals(null, AdapterConfig.from(config.put("insecure", true), dir).tls());
    }

    @Test
    void aFieldThatIsNotCanonicalIsRefusedNamingItsPlace() {
        JsonObject config = valid();
        config.getJsonArray("release").add("favouriteColour");
        String message = refusal(config);
        assertTrue(message.contains("release[3]") && message.contains("favouriteColour"), message);
    }

    /**
     * Verifies that a ceiling releasing a location field without the shielded mark stops the
     * adapter: it would pass a shielded child's address on with the mark stripped, and the
     * gateway would show it outside its authority (A10). With the mark, it starts.
     */
    @Test
    void aCeilingThatReleasesALocationWithoutTheShieldedMarkIsRefused() throws Exception {
        JsonObject config = valid();
        config.getJsonArray("release").add("address");
        String message = refusal(config);
        assertTrue(message.contains("address") && message.contains("shielded") && message.contains("A10"), message);
        config.getJsonArray("release").add("shielded");
        assertTrue(AdapterConfig.from(config, dir).release().contains("address"));
    }

    /**
     * Verifies that a ceiling without a name or the date of birth is refused (F5): the records
     * it released scored nothing against the caller's criteria, so a register holding the child
     * read as "no record".
     */
    @Test
    void aCeilingWithoutTheIdentityFieldsIsRefused() {
        for (String left : List.of("givenName", "familyName", "dateOfBirth")) {
            JsonObject config = valid();
            JsonArray release = new JsonArray();
            config.getJsonArray("release").forEach(f -> {
                if (!left.equals(f)) {
                    release.add(f);
                }
            });
            config.put("release", release.add("registration"));
            String message = refusal(config);
            assertTrue(message.startsWith("release must name " + left), message);
        }
    }

    @Test
    void anEmptyCeilingIsRefused() {
        assertTrue(refusal(valid().put("release", new JsonArray())).contains("release"));
    }

    @Test
    void withoutASigningKeyTheAdapterDoesNotStart() {
        JsonObject config = valid();
        config.remove("signingKeyFile");
        assertTrue(refusal(config).contains("signingKeyFile"));
    }

    @Test
    void anUnknownKeyAndAMissingCertificateFileAreRefused() {
        assertTrue(refusal(valid().put("releas", new JsonArray())).contains("releas"));
        JsonObject config = valid();
        config.getJsonObject("tls").put("certFile", "missing.pem");
        assertTrue(refusal(config).contains("tls.certFile"));
    }
}
