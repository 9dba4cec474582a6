package uk.wycps.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.gateway.durable.PrivateFiles;

/**
 * {@code audit.postgres} as the configuration file gives it (issue 20, O2): the example the
 * documentation shows is accepted as it stands, and every setting the documentation names is
 * one the schema knows; a PostgreSQL audit without the shared signing key, a URI carrying
 * credentials, and a URI that is not PostgreSQL's are refused at start-up, each naming its place.
 */
class PostgresConfigurationTest {

    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern SETTING = Pattern.compile("audit\\.postgres\\.([A-Za-z]+)");

    @TempDir
    Path dir;

    /** A configuration that loads, with the file audit; tests put their {@code audit} in it. */
    private static JsonObject baseConfig() {
        return TestConfigs.minimal();
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
        PrivateFiles.writeString(password, "secret\n");
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

    // ---- refusals (issue 20, O2): each names where the problem is, none echoes a secret -------------

    /** A configuration with {@code audit.postgres} whose files all exist, with the key files unless told. */
    private JsonObject postgresConfig(String uri, boolean keys) throws Exception {
        Path password = dir.resolve("db-password");
        PrivateFiles.writeString(password, "secret\n");
        JsonObject audit = new JsonObject().put("postgres", new JsonObject().put("uri", uri).put("user", "wycps_gateway")
                .put("passwordFile", password.toString()));
        if (keys) {
            Files.writeString(dir.resolve("audit-signing-key.pem"), "key");
            Files.writeString(dir.resolve("audit-signing-key.pub.pem"), "key");
            audit.put("signingKeyFile", "audit-signing-key.pem").put("verificationKeyFile", "audit-signing-key.pub.pem");
        }
        return baseConfig().put("audit", audit);
    }

    private ConfigException refused(JsonObject config) {
        return assertThrows(ConfigException.class, () -> load(config));
    }

    @Test
    void aPostgresAuditWithoutASigningKeyFileIsRefusedNamingTheAudit() throws Exception {
        // GIVEN audit.postgres but no shared signing key: each node would sign the one chain with a key of its own
        ConfigException e = refused(postgresConfig("postgresql://db.internal:5432/wycps", false));
        // THEN start-up is refused at $.audit, naming the missing key
        assertTrue(e.getMessage().contains("gateway.json at $.audit: "), e.getMessage());
        assertTrue(e.getMessage().contains("signingKeyFile"), e.getMessage());
        // AND the same configuration with the keys loads (the refusal was for the key, nothing else)
        assertEquals("postgresql://db.internal:5432/wycps",
                load(postgresConfig("postgresql://db.internal:5432/wycps", true)).audit().postgres().uri());
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql://wycps:secret@db.internal:5432/wycps",
        "postgresql://wycps@db.internal:5432/wycps", "postgres://wycps:secret@db.internal/wycps",
        "postgresql://db.internal:5432/wycps?password=secret", "postgresql://db.internal/wycps?sslmode=require&user=wycps"})
    void aUriHoldingCredentialsIsRefusedWithoutEchoingThem(String uri) throws Exception {
        ConfigException e = refused(postgresConfig(uri, true));
        assertTrue(e.getMessage().contains("at $.audit.postgres.uri: "), e.getMessage());
        assertTrue(e.getMessage().contains("credentials"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), "a password echoed in an error: " + e.getMessage());
    }

    @Test
    void aUriWithoutCredentialsButWithOtherParametersIsAccepted() throws Exception {
        // "@" or "user" elsewhere than the user part or a parameter of that name is no credential
        String uri = "postgresql://db.internal:5432/wycps?sslmode=require&application_name=gw@1";
        assertEquals(uri, load(postgresConfig(uri, true)).audit().postgres().uri());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql://db.internal:3306/wycps", "jdbc:postgresql://db.internal:5432/wycps",
        "http://db.internal:5432/wycps", "db.internal:5432/wycps", "mysql://wycps:secret@db.internal/wycps"})
    void aUriThatIsNotPostgresqlIsRefusedByTheSchemaAtTheUri(String uri) throws Exception {
        ConfigException e = refused(postgresConfig(uri, true));
        assertTrue(e.getMessage().contains("at $.audit.postgres.uri: "), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), "a password echoed in an error: " + e.getMessage());
    }
}
