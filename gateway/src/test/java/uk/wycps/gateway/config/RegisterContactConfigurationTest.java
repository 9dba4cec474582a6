package uk.wycps.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.gateway.auth.DemoKeys;

/**
 * {@code registers[].contact} (F6) is read and validated at start-up (O2): a well-formed contact
 * is kept as configured, a malformed one stops start-up naming its place, and a register without
 * one is allowed.
 */
class RegisterContactConfigurationTest {

    @TempDir
    Path dir;

    private static JsonObject contact() {
        return new JsonObject().put("team", "Leeds Child Protection Co-ordination Unit").put("officeHours", "01632 960401")
                .put("outOfHours", "01632 960402").put("email", "cp-advice@leeds.example.org");
    }

    private static JsonObject config(JsonObject contact) {
        JsonObject leeds = new JsonObject().put("authority", "leeds").put("dialect", "canonical-json")
                .put("baseUrl", "http://127.0.0.1:9104").put("insecure", true);
        if (contact != null) {
            leeds.put("contact", contact);
        }
        return new JsonObject()
                .put("http", new JsonObject().put("port", 0))
                .put("auth", new JsonObject().put("issuer", "https://idp.example")
                        .put("keys", new JsonArray().add(new JsonObject().put("algorithm", "ES256")
                                .put("publicKey", DemoKeys.verificationKeyPem().replace("A", "B")))))
                .put("registers", new JsonArray().add(leeds)
                        .add(new JsonObject().put("authority", "bradford").put("dialect", "canonical-json")
                                .put("baseUrl", "http://127.0.0.1:9101").put("insecure", true)))
                .put("audit", new JsonObject().put("directory", "audit"));
    }

    private GatewayConfig load(JsonObject config) throws Exception {
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, config.encodePrettily());
        return new ConfigLoader(ConnectorRegistry.load()).load(file);
    }

    @Test
    void aWellFormedContactIsKeptAsConfiguredAndARegisterWithoutOneIsAllowed() throws Exception {
        GatewayConfig config = load(config(contact()));
        assertEquals(Map.of("leeds", new RegisterContact("Leeds Child Protection Co-ordination Unit", "01632 960401",
                "01632 960402", "cp-advice@leeds.example.org")), config.contacts());
    }

    static List<Arguments> badContacts() {
        return List.of(
                Arguments.of("empty", (Consumer<JsonObject>) c -> c.clear(), "$.registers[0].contact.team"),
                Arguments.of("no email", (Consumer<JsonObject>) c -> c.remove("email"), "$.registers[0].contact.email"),
                Arguments.of("unknown key", (Consumer<JsonObject>) c -> c.put("fax", "01632 960403"),
                        "$.registers[0].contact.fax"),
                Arguments.of("letters for a telephone", (Consumer<JsonObject>) c -> c.put("officeHours", "ring the office"),
                        "$.registers[0].contact.officeHours"),
                Arguments.of("a line break in the out-of-hours number",
                        (Consumer<JsonObject>) c -> c.put("outOfHours", "01632\n960402"), "$.registers[0].contact.outOfHours"),
                Arguments.of("not an email", (Consumer<JsonObject>) c -> c.put("email", "leeds at example"),
                        "$.registers[0].contact.email"),
                Arguments.of("a control character in the team", (Consumer<JsonObject>) c -> c.put("team", "Leeds\u202Eteam"),
                        "$.registers[0].contact.team"),
                Arguments.of("a blank team", (Consumer<JsonObject>) c -> c.put("team", " "), "$.registers[0].contact.team"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badContacts")
    void aMalformedContactStopsStartUpNamingItsPlace(String what, Consumer<JsonObject> breakIt, String place) {
        JsonObject contact = contact();
        breakIt.accept(contact);
        ConfigException e = assertThrows(ConfigException.class, () -> load(config(contact)), what);
        assertTrue(e.getMessage().contains(place + ":"), what + ": " + e.getMessage());
    }

    @Test
    void aContactThatIsNotAnObjectStopsStartUp() {
        JsonObject config = config(null);
        config.getJsonArray("registers").getJsonObject(0).put("contact", "01632 960401");
        ConfigException e = assertThrows(ConfigException.class, () -> load(config));
        assertTrue(e.getMessage().contains("$.registers[0].contact:"), e.getMessage());
    }
}
