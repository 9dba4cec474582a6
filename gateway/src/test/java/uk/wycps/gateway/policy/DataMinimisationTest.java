package uk.wycps.gateway.policy;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.support.GatewayHarness;

/**
 * Verifies data minimisation on both sides of the boundary (A5): the register is asked only for
 * the fields the caller may receive, and a register that sends more anyway is stripped by the
 * gateway before anything reaches the caller.
 */
@ExtendWith(VertxExtension.class)
class DataMinimisationTest {

    private static final String OVERSHARING_RECORD = """
            {"records": [{"recordId": "LE-000001", "givenName": "Aisha", "familyName": "Khan",
              "dateOfBirth": "2016-03-09", "gender": "female", "ethnicity": "Asian or Asian British - Pakistani",
              "healthNotes": "asthma", "concernDetails": "details of an incident",
              "relationships": [{"name": "Tariq Khan", "relationship": "father", "concernIndicator": true,
                                 "scheduleOneIndicator": true}]}]}""";

    private static WireMockServer register;
    private static GatewayHarness harness;

    @BeforeAll
    static void start(Vertx vertx, VertxTestContext ctx) {
        register = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        register.start();
        register.stubFor(post(urlEqualTo("/search")).willReturn(okJson(OVERSHARING_RECORD)));
        List<RegisterSettings> registers = List.of(RegisterSettings.of("leeds", "canonical-json",
                URI.create("http://127.0.0.1:" + register.port())));
        GatewayHarness.start(vertx, registers, new InMemoryAuditSink()).onComplete(ctx.succeeding(h -> {
            harness = h;
            ctx.completeNow();
        }));
    }

    @AfterAll
    static void stop(VertxTestContext ctx) {
        register.stop();
        harness.close().onComplete(ctx.succeedingThenComplete());
    }

    @Test
    void registerIsAskedOnlyForAllowedFieldsAndExtraFieldsAreStripped(VertxTestContext ctx) {
        // GIVEN a Leeds referrer: PERSONAL at most, so nothing SENSITIVE (A4, A5)
        String token = harness.issuer.token("referrer", "social-services", "leeds");
        harness.enquire(token, GatewayHarness.enquiry("Aisha", "Khan", "2016-03-09"))
                .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    // THEN the register was asked for PERSONAL fields only
                    JsonObject asked = new JsonObject(register.getAllServeEvents().stream()
                            .filter(e -> e.getRequest().getUrl().equals("/search")).findFirst().orElseThrow()
                            .getRequest().getBodyAsString());
                    JsonArray fields = asked.getJsonArray("fields");
                    assertTrue(fields.contains("familyName"));
                    for (String sensitive : List.of("ethnicity", "healthNotes", "concernDetails",
                            "relationships[].concernIndicator", "relationships[].scheduleOneIndicator")) {
                        assertFalse(fields.contains(sensitive), sensitive + " was asked for");
                    }
                    // AND what the register sent beyond that never reached the caller
                    JsonObject record = r.bodyAsJsonObject().getJsonArray("persons").getJsonObject(0)
                            .getJsonArray("records").getJsonObject(0);
                    assertEquals("PERSONAL", record.getString("tier"));
                    JsonObject data = record.getJsonObject("data");
                    assertEquals("Khan", data.getString("familyName"));
                    assertFalse(data.containsKey("ethnicity"));
                    assertFalse(data.containsKey("healthNotes"));
                    assertFalse(data.containsKey("concernDetails"));
                    JsonObject relation = data.getJsonArray("relationships").getJsonObject(0);
                    assertEquals("father", relation.getString("relationship"));
                    assertFalse(relation.containsKey("concernIndicator"));
                    assertFalse(relation.containsKey("scheduleOneIndicator"));
                    assertTrue(record.getJsonArray("withheld").contains("ethnicity"));
                    assertFalse(r.bodyAsString().contains("asthma"));
                    ctx.completeNow();
                })));
    }
}
