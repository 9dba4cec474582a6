package uk.wycps.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.gateway.auth.DemoKeys;

/**
 * {@code audit.postgres} as the configuration file gives it (issue 20, O2): the example the
 * documentation shows is accepted as it stands, and every setting the documentation names is
 * one the schema knows.
 */
class PostgresConfigurationTest {

    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern SETTING = Pattern.compile("audit\\.postgres\\.([A-Za-z]+)");

    /** As ServeConfigurationTest: a key the loader reads, not the demo's own. */
    private static final String PUBLIC_KEY = DemoKeys.verificationKeyPem().replace("A", "B");

    @TempDir
    Path dir;

    /** A configuration that loads, with the file audit; tests put their {@code audit} in it. */
    private static JsonObject baseConfig() {
        return new JsonObject()
                .put("http", new JsonObject().put("port", 0))
                .put("auth", new JsonObject().put("issuer", "https://idp.example")
                        .put("keys", new JsonArray().add(new JsonObject().put("algorithm", "ES256")
                                .put("publicKey", PUBLIC_KEY))))
                .put("registers", new JsonArray().add(new JsonObject().put("authority", "leeds")
                        .put("dialect", "canonical-json").put("baseUrl", "http://127.0.0.1:9104").put("insecure", true)))
                .put("audit", new JsonObject().put("directory", "audit"));
    }

    private GatewayConfig load(JsonObject config) {
        return new ConfigLoader(ConnectorRegistry.load()).parse(config, dir, "gateway.json");
    }

    /** The repository's {@code docs} folder, found from the module the tests run in. */
    private static Path docs() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docs/audit.md"))) {
                return p.resolve("docs");
            }
        }
        throw new AssertionError("no docs/audit.md above " + Path.of("").toAbsolutePath());
    }

    /** The {@code "audit": {...}} example under docs/audit.md's "Several nodes" heading, as JSON. */
    private static JsonObject documentedAudit() throws Exception {
        String text = Files.readString(docs().resolve("audit.md"));
        String section = text.substring(text.indexOf("## Several nodes"));
        Matcher m = JSON_BLOCK.matcher(section);
        assertTrue(m.find(), "docs/audit.md shows no JSON example of audit.postgres");
        return new JsonObject("{" + m.group(1) + "}").getJsonObject("audit");
    }

    @Test
    void theDocumentedAuditPostgresExampleIsAcceptedByTheConfigLoader() throws Exception {
        JsonObject audit = documentedAudit();
        // The files it names, made here: the relative key files beside the configuration, the
        // absolute secrets path (a real deployment's) replaced by one the test can create.
        Files.writeString(dir.resolve(audit.getString("signingKeyFile")), "key");
        Files.writeString(dir.resolve(audit.getString("verificationKeyFile")), "key");
        JsonObject pg = audit.getJsonObject("postgres");
        assertTrue(pg.getString("passwordFile").startsWith("/run/secrets/"), pg.encode());
        Path password = dir.resolve("wycps-db-password");
        Files.writeString(password, "secret\n");
        pg.put("passwordFile", password.toString());

        GatewayConfig config = load(baseConfig().put("audit", audit));

        GatewayConfig.Postgres loaded = config.audit().postgres();
        assertEquals("postgresql://db.internal:5432/wycps", loaded.uri());
        assertEquals("wycps_gateway", loaded.user());
        assertEquals(password, loaded.passwordFile());
        assertEquals("gw-1", loaded.node());
        assertEquals(Duration.ofSeconds(30), loaded.outboxLease());
        assertEquals(1000, config.audit().checkpointEvery());
    }

    @Test
    void everyAuditPostgresSettingTheDocsNameIsOneTheSchemaKnows() throws Exception {
        Set<String> known;
        try (InputStream in = ConfigLoader.class.getResourceAsStream("/schemas/gateway-config.schema.json")) {
            known = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getJsonObject("properties")
                    .getJsonObject("audit").getJsonObject("properties").getJsonObject("postgres")
                    .getJsonObject("properties").fieldNames();
        }
        assertEquals(Set.of("uri", "user", "passwordFile", "node", "outboxLeaseSeconds"), known);
        Set<String> named = new TreeSet<>();
        for (String doc : new String[] {"audit.md", "deployment.md", "operations.md"}) {
            Matcher m = SETTING.matcher(Files.readString(docs().resolve(doc)));
            while (m.find()) {
                named.add(doc + ": " + m.group(1));
                assertTrue(known.contains(m.group(1)), doc + " names audit.postgres." + m.group(1)
                        + ", which the schema does not know");
            }
        }
        assertTrue(named.size() >= 3, "the docs name audit.postgres settings: " + named);
        // operations.md lists them all in one sentence
        String operations = Files.readString(docs().resolve("operations.md"));
        for (String setting : known) {
            assertTrue(operations.contains("`" + setting + "`"), "docs/operations.md does not list " + setting);
        }
    }
}
