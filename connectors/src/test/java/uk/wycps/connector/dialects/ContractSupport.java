package uk.wycps.connector.dialects;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import uk.wycps.connector.RegisterSettings;

/** WireMock, settings and the shipped mapping files for the HTTP dialects' tests. */
final class ContractSupport {

    private ContractSupport() {
    }

    static WireMockServer wiremock() {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
                .asynchronousResponseEnabled(true).asynchronousResponseThreads(8));
        server.start();
        return server;
    }

    static RegisterSettings settings(String authority, String dialect, WireMockServer server, JsonObject options) {
        return new RegisterSettings(authority, dialect, URI.create("http://127.0.0.1:" + server.port()),
                Duration.ofMillis(2000), 16, 64, 1024 * 1024, options);
    }

    static JsonObject mapping(String name) {
        try (InputStream in = ContractSupport.class.getResourceAsStream("/uk/wycps/connector/mappings/" + name)) {
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
