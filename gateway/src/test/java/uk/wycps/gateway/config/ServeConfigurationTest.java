package uk.wycps.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import uk.wycps.gateway.GatewayMain;
import uk.wycps.gateway.auth.DemoKeys;
import uk.wycps.gateway.auth.TokenVerifier;

/**
 * Verifies that {@code serve} validates its configuration at start-up and refuses to start on
 * any problem with a message naming it (O2), above all without verification keys (A1; an empty
 * key set would make vertx-auth-jwt accept unsigned tokens).
 */
class ServeConfigurationTest {

    @TempDir
    Path dir;

    private JsonObject validConfig() {
        return TestConfigs.minimal();
    }

    private Path write(JsonObject config) throws Exception {
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, config.encodePrettily());
        return file;
    }

    /** Runs {@code serve --config file} as the jar would, returning its exit code and stderr. */
    private static Object[] serve(Path file) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream previous = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new GatewayMain()).execute("serve", "--config", file.toString());
            return new Object[] {code, err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(previous);
        }
    }

    @Test
    void serveRefusesToStartWithNoVerificationKey() throws Exception {
        JsonObject config = validConfig();
        config.getJsonObject("auth").put("keys", new JsonArray());
        Object[] result = serve(write(config));
        assertEquals(2, result[0]);
        assertTrue(((String) result[1]).contains("$.auth.keys"), (String) result[1]);
        assertTrue(((String) result[1]).contains("unsigned tokens"), (String) result[1]);
    }

    @Test
    void serveRefusesToStartWithNoAuthSection() throws Exception {
        JsonObject config = validConfig();
        config.remove("auth");
        Object[] result = serve(write(config));
        assertEquals(2, result[0]);
        assertTrue(((String) result[1]).contains("$.auth"), (String) result[1]);
    }

    @Test
    void serveRefusesTheDemoKey() throws Exception {
        JsonObject config = validConfig();
        config.getJsonObject("auth").getJsonArray("keys").getJsonObject(0).put("publicKey", DemoKeys.verificationKeyPem());
        Object[] result = serve(write(config));
        assertEquals(2, result[0]);
        assertTrue(((String) result[1]).contains("demo key"), (String) result[1]);
    }

    /** Verifies the demo key is found by its material, not its text (issue 14). */
    @Test
    void serveRefusesTheDemoKeyHoweverItsPemIsWritten() throws Exception {
        String body = DemoKeys.verificationKeyPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        // the same key, in 76-character lines with CR LF and no final line break
        String rewrapped = "-----BEGIN PUBLIC KEY-----\r\n" + java.util.Base64.getMimeEncoder()
                .encodeToString(java.util.Base64.getDecoder().decode(body)) + "\r\n-----END PUBLIC KEY-----";
        JsonObject config = validConfig();
        config.getJsonObject("auth").getJsonArray("keys").getJsonObject(0).put("publicKey", rewrapped);
        Object[] result = serve(write(config));
        assertEquals(2, result[0]);
        assertTrue(((String) result[1]).contains("demo key"), (String) result[1]);
    }

    /**
     * Verifies that the demo key followed by anything (a comment line, a second key) is still
     * refused: Vert.x trusts the first block and ignores the rest, and the whole text, decoded as
     * one block, once failed to parse and passed the check (the gateway then started, trusting
     * tokens anyone can mint: bounded here, so that a regression fails rather than serves).
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void serveRefusesTheDemoKeyFollowedByAnythingElse() throws Exception {
        java.security.KeyPairGenerator ec = java.security.KeyPairGenerator.getInstance("EC");
        ec.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        String other = "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder()
                .encodeToString(ec.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        for (String pem : List.of(DemoKeys.verificationKeyPem() + "\n# the issuer's key\n",
                DemoKeys.verificationKeyPem() + "\n" + other, other + DemoKeys.verificationKeyPem(),
                // under another label, which Vert.x reads as well
                DemoKeys.verificationKeyPem().replace("PUBLIC KEY", "RSA PUBLIC KEY") + "\n" + other)) {
            JsonObject config = validConfig();
            config.getJsonObject("auth").getJsonArray("keys").getJsonObject(0).put("publicKey", pem);
            Object[] result = serve(write(config));
            assertEquals(2, result[0], pem);
            assertTrue(((String) result[1]).contains("demo key"), (String) result[1]);
        }
    }

    @Test
    void serveRefusesTheDemoIssuer() throws Exception {
        JsonObject config = validConfig();
        config.getJsonObject("auth").put("issuer", DemoKeys.ISSUER);
        Object[] result = serve(write(config));
        assertEquals(2, result[0]);
        assertTrue(((String) result[1]).contains("demo issuer"), (String) result[1]);
    }

    @Test
    void tokenVerifierCannotBeBuiltWithoutKeys() {
        Vertx vertx = Vertx.vertx();
        try {
            GatewayConfig.Auth noKeys = new GatewayConfig.Auth("iss", "wycps-gateway", List.of(), 0);
            assertThrows(ConfigException.class, () -> TokenVerifier.create(vertx, noKeys, Set.of("leeds")));
        } finally {
            vertx.close();
        }
    }

    static List<Arguments> badConfigurations() {
        return List.of(
                Arguments.of("unknown dialect", (Consumer<JsonObject>) c -> c.getJsonArray("registers").getJsonObject(0)
                        .put("dialect", "carrier-pigeon"), "$.registers[0].dialect"),
                Arguments.of("duplicate register", (Consumer<JsonObject>) c -> c.getJsonArray("registers")
                        .add(c.getJsonArray("registers").getJsonObject(0).copy()), "$.registers[1].authority"),
                Arguments.of("not a URL", (Consumer<JsonObject>) c -> c.getJsonArray("registers").getJsonObject(0)
                        .put("baseUrl", "ftp://x"), "$.registers[0].baseUrl"),
                Arguments.of("deadline out of range", (Consumer<JsonObject>) c -> c.getJsonArray("registers")
                        .getJsonObject(0).put("deadlineMs", 0), "$.registers[0].deadlineMs"),
                Arguments.of("unknown setting", (Consumer<JsonObject>) c -> c.put("cache", true), "$.cache"),
                // the caller's connection would be closed as idle before the slowest register may answer
                Arguments.of("idle timeout within a register's deadline", (Consumer<JsonObject>) c -> {
                    c.put("http", c.getJsonObject("http", new JsonObject()).copy().put("idleTimeoutSeconds", 5));
                    c.getJsonArray("registers").getJsonObject(0).put("deadlineMs", 5000);
                }, "$.http.idleTimeoutSeconds"),
                Arguments.of("HMAC algorithm", (Consumer<JsonObject>) c -> c.getJsonObject("auth").getJsonArray("keys")
                        .getJsonObject(0).put("algorithm", "HS256"), "$.auth.keys[0].algorithm"),
                Arguments.of("private key", (Consumer<JsonObject>) c -> c.getJsonObject("auth").getJsonArray("keys")
                        .getJsonObject(0).put("publicKey", "-----BEGIN PRIVATE KEY-----\nAAAA\n"), "$.auth.keys[0]"),
                Arguments.of("no registers", (Consumer<JsonObject>) c -> c.put("registers", new JsonArray()),
                        "$.registers"),
                Arguments.of("no audit", (Consumer<JsonObject>) c -> c.remove("audit"), "$.audit"),
                Arguments.of("port not a number", (Consumer<JsonObject>) c -> c.getJsonObject("http").put("port", "80"),
                        "$.http.port"),
                Arguments.of("key set fetched in clear over a network", (Consumer<JsonObject>) c -> c.getJsonObject("auth")
                        .put("jwksUri", "http://idp.example/jwks"), "$.auth.jwksUri"),
                Arguments.of("no keys and an issuer that is not a URL", (Consumer<JsonObject>) c -> c.getJsonObject("auth")
                        .put("issuer", "idp").remove("keys"), "$.auth.issuer"),
                Arguments.of("token lifetime out of range", (Consumer<JsonObject>) c -> c.getJsonObject("auth")
                        .put("maxTokenLifetimeSeconds", 0), "$.auth.maxTokenLifetimeSeconds"),
                Arguments.of("TLS certificate missing", (Consumer<JsonObject>) c -> c.getJsonObject("http")
                        .put("tls", new JsonObject().put("certFile", "none.crt").put("keyFile", "none.key")),
                        "$.http.tls.certFile"),
                Arguments.of("management port out of range", (Consumer<JsonObject>) c -> c.put("management",
                        new JsonObject().put("port", 70_000)), "$.management.port"),
                Arguments.of("empty bucket", (Consumer<JsonObject>) c -> c.put("limits", new JsonObject()
                        .put("perCaller", new JsonObject().put("perMinute", 10).put("burst", 0))),
                        "$.limits.perCaller.burst"),
                Arguments.of("unknown limit", (Consumer<JsonObject>) c -> c.put("limits", new JsonObject()
                        .put("perDay", 1)), "$.limits.perDay"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigurations")
    void badConfigurationStopsStartUpNamingThePlace(String what, Consumer<JsonObject> breakIt, String place)
            throws Exception {
        JsonObject config = validConfig();
        breakIt.accept(config);
        Object[] result = serve(write(config));
        assertEquals(2, result[0], what);
        assertTrue(((String) result[1]).contains(place), what + ": " + result[1]);
    }

    @Test
    void notJsonStopsStartUp() throws Exception {
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, "http: {port: 80");
        Object[] result = serve(file);
        assertEquals(2, result[0]);
        assertTrue(((String) result[1]).contains("not valid JSON"), (String) result[1]);
    }

    /** Verifies that a value of the wrong shape stops start-up with the schema's message and the value's JSON path (O2). */
    @Test
    void aMisshapenConfigurationStopsStartUpNamingItsJsonPath() throws Exception {
        JsonObject config = validConfig();
        config.getJsonArray("registers").getJsonObject(0).put("maxConnections", "many");
        Object[] result = serve(write(config));
        assertEquals(2, result[0]);
        assertTrue(((String) result[1]).contains("$.registers[0].maxConnections: "), (String) result[1]);
        assertTrue(((String) result[1]).contains("integer"), (String) result[1]);
    }

    /** Verifies that a misshapen mapping of a mapped-json register stops start-up naming its JSON path in the configuration. */
    @Test
    void aMisshapenMappingStopsStartUpNamingItsJsonPath() throws Exception {
        JsonObject mapping;
        try (var in = ServeConfigurationTest.class.getResourceAsStream("/uk/wycps/connector/mappings/calderdale.json")) {
            mapping = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        mapping.getJsonObject("record").getJsonObject("address").put("fields", "line_1");
        JsonObject config = validConfig();
        config.getJsonArray("registers").add(new JsonObject().put("authority", "calderdale").put("dialect", "mapped-json")
                .put("baseUrl", "http://127.0.0.1:9105").put("options", mapping));
        Object[] result = serve(write(config));
        assertEquals(2, result[0]);
        assertTrue(((String) result[1]).contains("$.registers[1].options.record.address.fields: "), (String) result[1]);
    }

    /** Verifies that a misshapen policy document stops start-up with the schema's message and the value's JSON path (O2). */
    @Test
    void aMisshapenPolicyStopsStartUpNamingItsJsonPath() throws Exception {
        String policy;
        try (var in = ServeConfigurationTest.class.getResourceAsStream("/uk/wycps/policy/default-policy.yaml")) {
            policy = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve("policy.yaml"), policy.replaceFirst("maxTier: SENSITIVE", "maxTier: SECRET"));
        JsonObject config = validConfig().put("policy", new JsonObject().put("file", "policy.yaml"));
        Object[] result = serve(write(config));
        assertEquals(2, result[0]);
        assertTrue(((String) result[1]).contains("at $.roles.entries.cp-coordinator.maxTier: "), (String) result[1]);
    }

    /** Verifies that an authority name is checked by the one rule the configuration and the policy share. */
    @Test
    void aPolicyAuthorityNameOfTheWrongFormStopsStartUp() throws Exception {
        try (var in = ServeConfigurationTest.class.getResourceAsStream("/malformed-policy/bad-authority-name.yaml")) {
            Files.write(dir.resolve("policy.yaml"), in.readAllBytes());
        }
        JsonObject config = validConfig().put("policy", new JsonObject().put("file", "policy.yaml"));
        Object[] result = serve(write(config));
        assertEquals(2, result[0]);
        assertTrue(((String) result[1]).contains("at $.authorities.names[3]: "), (String) result[1]);
        JsonObject badRegister = validConfig();
        badRegister.getJsonArray("registers").getJsonObject(0).put("authority", "Leeds");
        result = serve(write(badRegister));
        assertEquals(2, result[0]);
        assertTrue(((String) result[1]).contains("$.registers[0].authority: "), (String) result[1]);
    }

    /** Verifies that the shipped default policy fits the policy schema an operator's copy is checked against. */
    @Test
    void theDefaultPolicyFitsItsSchema() throws Exception {
        Path copy = dir.resolve("default-policy.yaml");
        try (var in = ServeConfigurationTest.class.getResourceAsStream("/uk/wycps/policy/default-policy.yaml")) {
            Files.write(copy, in.readAllBytes());
        }
        PolicySchema.check(copy);
    }
}
