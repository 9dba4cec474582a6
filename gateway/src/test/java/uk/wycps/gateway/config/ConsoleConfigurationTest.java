package uk.wycps.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.gateway.auth.DemoKeys;
import uk.wycps.gateway.durable.PrivateFiles;

/**
 * The console's OpenID Connect client in the {@code serve} configuration (API.md:
 * {@code console.clientId}, {@code console.redirectUri}): validated at start-up (O2).
 */
class ConsoleConfigurationTest {

    @TempDir
    Path dir;

    private JsonObject config(JsonObject console) {
        JsonObject c = new JsonObject()
                .put("auth", new JsonObject().put("issuer", "https://idp.example")
                        .put("keys", new JsonArray().add(new JsonObject().put("algorithm", "ES256")
                                .put("publicKey", DemoKeys.verificationKeyPem().replace("A", "B")))))
                .put("registers", new JsonArray().add(new JsonObject().put("authority", "leeds")
                        .put("dialect", "canonical-json").put("baseUrl", "http://127.0.0.1:9104").put("insecure", true)))
                .put("audit", new JsonObject().put("directory", "audit"));
        if (console != null) {
            c.put("console", console);
        }
        return c;
    }

    private GatewayConfig parse(JsonObject json) {
        return new ConfigLoader(ConnectorRegistry.load()).parse(json, dir, "gateway.json");
    }

    @Test
    void withoutAConsoleSectionSignInIsOff() {
        assertEquals(GatewayConfig.Console.Mode.OFF, parse(config(null)).console().mode());
    }

    @Test
    void anHttpsRedirectGivesOpenIdConnectSignInWithASecureCookieAndFifteenMinutesIdle() throws Exception {
        PrivateFiles.writeString(dir.resolve("secret.txt"), "s3cret\n");
        GatewayConfig.Console console = parse(config(new JsonObject().put("clientId", "wycps-console")
                .put("redirectUri", "https://gateway.example/sign-in/callback")
                .put("clientSecretFile", "secret.txt"))).console();
        assertEquals(GatewayConfig.Console.Mode.OIDC, console.mode());
        assertEquals("wycps-console", console.clientId());
        assertTrue(console.secureCookie());
        assertEquals(Duration.ofMinutes(15), console.idleTimeout());
        assertEquals(dir.resolve("secret.txt"), console.clientSecretFile());
    }

    @Test
    void aPlainHttpRedirectLeavesTheCookieWithoutSecure() {
        assertFalse(parse(config(new JsonObject().put("clientId", "c")
                .put("redirectUri", "http://127.0.0.1:8080/sign-in/callback"))).console().secureCookie());
    }

    @Test
    void aRedirectThatIsNotTheConsolesCallbackStopsStartUp() {
        for (String uri : new String[] {"https://gateway.example/elsewhere", "ftp://gateway.example/sign-in/callback",
                "https://gateway.example/sign-in/callback?x=1", "not a uri"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> parse(config(new JsonObject()
                    .put("clientId", "c").put("redirectUri", uri))));
            assertTrue(e.getMessage().contains("$.console.redirectUri"), e.getMessage());
        }
    }

    @Test
    void aMissingClientIdOrAnUnreadableSecretOrAnUnknownKeyStopsStartUp() {
        assertTrue(assertThrows(ConfigException.class, () -> parse(config(new JsonObject()
                .put("redirectUri", "https://g.example/sign-in/callback")))).getMessage().contains("$.console.clientId"));
        assertTrue(assertThrows(ConfigException.class, () -> parse(config(new JsonObject().put("clientId", "c")
                .put("redirectUri", "https://g.example/sign-in/callback").put("clientSecretFile", "missing.txt"))))
                .getMessage().contains("$.console.clientSecretFile"));
        assertTrue(assertThrows(ConfigException.class, () -> parse(config(new JsonObject().put("clientId", "c")
                .put("redirectUri", "https://g.example/sign-in/callback").put("clientSecret", "inline"))))
                .getMessage().contains("clientSecret"));
    }
}
