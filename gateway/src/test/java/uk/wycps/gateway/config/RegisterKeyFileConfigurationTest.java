package uk.wycps.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.wycps.connector.ConnectorRegistry;

/**
 * The gateway's client key toward a register ({@code registers[].tls.keyFile}, issue 17) is held
 * to the rule of its other keys (issue 14: key files never readable by others): a key that group
 * or others may read or write stops start-up, naming the setting and what to do (O2).
 */
class RegisterKeyFileConfigurationTest {

    @TempDir
    Path dir;

    private JsonObject config() {
        return TestConfigs.minimal().put("registers", new JsonArray().add(new JsonObject().put("authority", "leeds")
                .put("dialect", "canonical-json").put("baseUrl", "https://leeds-adapter.example:9443")
                .put("tls", new JsonObject().put("caFile", "ca.pem").put("certFile", "gateway.pem")
                        .put("keyFile", "gateway.key"))));
    }

    private GatewayConfig load() {
        return new ConfigLoader(ConnectorRegistry.load()).parse(config(), dir, "gateway.json");
    }

    @Test
    void aRegisterClientKeyThatGroupOrOthersMayReadStopsStartUpNamingIt() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        for (String file : List.of("ca.pem", "gateway.pem", "gateway.key")) {
            Files.writeString(dir.resolve(file), "PEM");
        }
        for (String open : List.of("rw-r-----", "rw----r--", "rw-rw----", "rw-r--r--")) {
            // GIVEN the client key's file open to group or others
            Files.setPosixFilePermissions(dir.resolve("gateway.key"), PosixFilePermissions.fromString(open));
            // WHEN the configuration is read, THEN it is refused at the key's place, saying what to do
            ConfigException e = assertThrows(ConfigException.class, this::load, open);
            assertTrue(e.getMessage().contains("$.registers[0].tls.keyFile") && e.getMessage().contains("chmod 600"),
                    e.getMessage());
        }
        // AND with the key its owner's alone, it is read (the control)
        Files.setPosixFilePermissions(dir.resolve("gateway.key"), PosixFilePermissions.fromString("rw-------"));
        assertEquals("leeds", load().registers().get(0).authority());
    }
}
