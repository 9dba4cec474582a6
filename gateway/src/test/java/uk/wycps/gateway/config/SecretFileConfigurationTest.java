package uk.wycps.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.wycps.connector.ConnectorRegistry;

/**
 * Every file holding a secret the gateway reads (the PostgreSQL audit's password, the console's
 * client secret) is held to the rule of its private keys: one that group or others may read or
 * write stops start-up, naming the setting and saying what to do (O2; docs/deployment.md:
 * "readable by the gateway's account only"). Whoever else on the machine could read one could
 * write the audit or sign in as the console. (A SQL register's passwords are the register
 * adapter's: AdapterConfigTest.)
 */
class SecretFileConfigurationTest {

    private static final String SECRET = "s3cret-value";

    @TempDir
    Path dir;

    /** The configuration with the secret's file, {@code secret.txt}, at {@code setting}. */
    private JsonObject configWith(String setting) throws Exception {
        JsonObject config = TestConfigs.minimal();
        switch (setting) {
            case "$.audit.postgres.passwordFile" -> {
                Files.writeString(dir.resolve("audit-signing-key.pem"), "key");
                Files.writeString(dir.resolve("audit-signing-key.pub.pem"), "key");
                config.put("audit", new JsonObject().put("signingKeyFile", "audit-signing-key.pem")
                        .put("verificationKeyFile", "audit-signing-key.pub.pem")
                        .put("postgres", new JsonObject().put("uri", "postgresql://db.internal:5432/wycps")
                                .put("user", "wycps_gateway").put("passwordFile", "secret.txt")));
            }
            case "$.console.clientSecretFile" -> config.put("console", new JsonObject().put("clientId", "wycps-console")
                    .put("redirectUri", "https://gateway.example/sign-in/callback").put("clientSecretFile", "secret.txt"));
            default -> throw new IllegalArgumentException(setting);
        }
        return config;
    }

    private GatewayConfig load(JsonObject config) {
        return new ConfigLoader(ConnectorRegistry.load()).parse(config, dir, "gateway.json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"$.audit.postgres.passwordFile", "$.console.clientSecretFile"})
    void aSecretFileThatGroupOrOthersMayReadStopsStartUpNamingItsSetting(String setting) throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, SECRET + "\n");
        JsonObject config = configWith(setting);
        for (String open : List.of("rw-r-----", "rw----r--", "rw-rw----", "rw-r--r--", "rw-----w-")) {
            // GIVEN the secret's file open to group or others
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString(open));
            // WHEN the configuration is read, THEN it is refused where the file is named, saying
            // what to do, and the secret is not in the message
            ConfigException e = assertThrows(ConfigException.class, () -> load(config), open);
            assertTrue(e.getMessage().contains(setting) && e.getMessage().contains("chmod 600"), e.getMessage());
            assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        }
        // AND with the file its owner's alone, the configuration is read (the control)
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        assertEquals("leeds", load(config).registers().get(0).authority());
    }
}
