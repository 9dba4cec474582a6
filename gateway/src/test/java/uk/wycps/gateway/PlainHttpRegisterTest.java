package uk.wycps.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static uk.wycps.gateway.support.Answers.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import uk.wycps.connector.proof.AnswerSignature;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.gateway.support.LogCapture;

/**
 * Verifies that {@code serve} reaches a register over plain {@code http} only where the
 * configuration says so (issue 17, H1): without {@code "insecure": true} start-up stops with a
 * message naming {@code $.registers[i].baseUrl}; with it the gateway starts and warns, naming
 * the register by its authority id alone.
 */
@ExtendWith(VertxExtension.class)
class PlainHttpRegisterTest {

    /** A verification key made here (serve refuses the demo key). */
    private static String publicKey() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        return AnswerSignature.pem("PUBLIC KEY", ec.generateKeyPair().getPublic().getEncoded());
    }

    @TempDir
    Path dir;

    /** Leeds over https, Bradford over plain http (register 1); nothing listens on either. */
    private JsonObject config(boolean bradfordInsecure) throws Exception {
        JsonObject bradford = new JsonObject().put("authority", "bradford").put("dialect", "canonical-json")
                .put("baseUrl", "http://127.0.0.1:9/bradford-register");
        if (bradfordInsecure) {
            bradford.put("insecure", true);
        }
        return new JsonObject()
                .put("http", new JsonObject().put("port", 0))
                .put("management", new JsonObject().put("port", 0))
                .put("auth", new JsonObject().put("issuer", "https://idp.example")
                        .put("keys", new JsonArray().add(new JsonObject().put("algorithm", "ES256")
                                .put("publicKey", publicKey()))))
                .put("registers", new JsonArray()
                        .add(new JsonObject().put("authority", "leeds").put("dialect", "canonical-json")
                                .put("baseUrl", "https://127.0.0.1:9/leeds-register"))
                        .add(bradford))
                .put("audit", new JsonObject().put("directory", "audit"));
    }

    private Path write(JsonObject config) throws Exception {
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, config.encodePrettily());
        return file;
    }

    @Test
    void servingAPlainHttpRegisterWithoutInsecureStopsStartUpNamingItsBaseUrl() throws Exception {
        // WHEN serve is run on a configuration whose second register is plain http, not marked insecure
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream previous = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new GatewayMain()).execute("serve", "--config", write(config(false)).toString());
        } finally {
            System.setErr(previous);
        }
        // THEN it exits 2 (configuration error) naming that register's baseUrl and the way out
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, message);
        assertTrue(message.contains("$.registers[1].baseUrl"), message);
        assertTrue(message.contains("\"insecure\": true"), message);
    }

    @Test
    void aPlainHttpRegisterMarkedInsecureStartsWithAWarningNamingOnlyItsAuthority(Vertx vertx) throws Exception {
        Path file = write(config(true));
        try (LogCapture logs = LogCapture.start()) {
            int mark = logs.mark();
            // WHEN the configuration is loaded and the gateway started as serve does
            GatewayConfig config = GatewayMain.loadForServe(file);
            Gateway gateway = await(Gateway.start(vertx, config));
            try {
                // THEN it listens
                assertTrue(gateway.port() > 0);
                // AND one warning names the insecure register by its id, the https one not at all
                List<String> warnings = logs.since(mark).stream()
                        .filter(l -> l.contains("plain HTTP") && l.contains("insecure")).toList();
                assertEquals(1, warnings.size(), String.join("\n", logs.since(mark)));
                String warning = warnings.get(0);
                assertTrue(warning.contains("\"level\":\"WARN\""), warning);
                assertTrue(warning.contains("authority=bradford"), warning);
                assertFalse(warning.contains("leeds"), warning);
                // ids only: not the register's address
                assertFalse(warning.contains("bradford-register"), warning);
                assertFalse(warning.contains("127.0.0.1"), warning);
            } finally {
                await(gateway.close());
            }
        }
    }
}
