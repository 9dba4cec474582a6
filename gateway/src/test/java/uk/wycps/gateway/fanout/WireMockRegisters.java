package uk.wycps.gateway.fanout;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import uk.wycps.connector.RegisterSettings;

/**
 * Five canonical-json registers as WireMock servers on ephemeral loopback ports. A healthy one
 * answers {@code POST /search} with one record of {@link #GIVEN} {@link #FAMILY}, born
 * {@link #DOB}, whose id is {@link #recordId}; a test replaces one register's stub with a fault.
 */
public final class WireMockRegisters implements AutoCloseable {

    public static final List<String> AUTHORITIES = List.of("bradford", "calderdale", "kirklees", "leeds", "wakefield");
    public static final String GIVEN = "Aisha";
    public static final String FAMILY = "Khan";
    public static final String DOB = "2016-03-09";

    private final Map<String, WireMockServer> servers = new LinkedHashMap<>();

    /** With {@code journal}, requests are recorded so that a test can count them. */
    public WireMockRegisters(boolean journal) {
        for (String a : AUTHORITIES) {
            var options = options().bindAddress("127.0.0.1").dynamicPort().containerThreads(24)
                    .asynchronousResponseEnabled(true).asynchronousResponseThreads(8);
            WireMockServer server = new WireMockServer(journal ? options : options.disableRequestJournal());
            server.start();
            servers.put(a, server);
            healthy(a);
        }
    }

    public WireMockServer server(String authority) {
        return servers.get(authority);
    }

    public static String recordId(String authority) {
        return authority.substring(0, 2).toUpperCase(Locale.ROOT) + "-000001";
    }

    public static JsonObject record(String authority) {
        return new JsonObject().put("recordId", recordId(authority)).put("givenName", GIVEN).put("familyName", FAMILY)
                .put("dateOfBirth", DOB).put("gender", "female");
    }

    public static String healthyBody(String authority) {
        return new JsonObject().put("records", new JsonArray().add(record(authority))).encode();
    }

    /** The register answers as a healthy canonical-json register does. */
    public void healthy(String authority) {
        WireMockServer s = servers.get(authority);
        s.resetAll();
        s.stubFor(post(urlEqualTo("/search")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(healthyBody(authority))));
    }

    /** The register answers as a healthy canonical-json register that holds no such child. */
    public void holdsNothing(String authority) {
        WireMockServer s = servers.get(authority);
        s.resetAll();
        s.stubFor(post(urlEqualTo("/search")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"records\":[]}")));
    }

    /** The register's search answers with {@code stub} instead. */
    public void fault(String authority, MappingBuilder stub) {
        WireMockServer s = servers.get(authority);
        s.resetAll();
        s.stubFor(stub);
    }

    /** Adds {@code stub} over the register's current ones without a gap (the newest stub wins). */
    public void override(String authority, MappingBuilder stub) {
        servers.get(authority).stubFor(stub);
    }

    public static MappingBuilder search() {
        return post(urlEqualTo("/search"));
    }

    /** Settings for the five registers; {@code faulty}'s deadline and options as given. */
    public List<RegisterSettings> settings(String faulty, long faultyDeadlineMs, int faultyMaxBytes, int faultyMaxConnections,
            JsonObject faultyResilience) {
        List<RegisterSettings> list = new ArrayList<>();
        for (Map.Entry<String, WireMockServer> e : servers.entrySet()) {
            URI url = URI.create("http://127.0.0.1:" + e.getValue().port());
            if (e.getKey().equals(faulty)) {
                list.add(new RegisterSettings(e.getKey(), "canonical-json", url, Duration.ofMillis(faultyDeadlineMs),
                        faultyMaxConnections, RegisterSettings.DEFAULT_MAX_WAIT_QUEUE, faultyMaxBytes,
                        new JsonObject().put("resilience", faultyResilience)));
            } else {
                list.add(RegisterSettings.of(e.getKey(), "canonical-json", url));
            }
        }
        return list;
    }

    /** Settings for the five registers, all with {@code deadlineMs} and the same resilience options. */
    public List<RegisterSettings> settingsAll(long deadlineMs, JsonObject resilience) {
        List<RegisterSettings> list = new ArrayList<>();
        for (Map.Entry<String, WireMockServer> e : servers.entrySet()) {
            URI url = URI.create("http://127.0.0.1:" + e.getValue().port());
            list.add(new RegisterSettings(e.getKey(), "canonical-json", url, Duration.ofMillis(deadlineMs),
                    RegisterSettings.DEFAULT_MAX_CONNECTIONS, RegisterSettings.DEFAULT_MAX_WAIT_QUEUE,
                    RegisterSettings.DEFAULT_MAX_RESPONSE_BYTES, new JsonObject().put("resilience", resilience)));
        }
        return list;
    }

    @Override
    public void close() {
        servers.values().forEach(WireMockServer::stop);
    }
}
