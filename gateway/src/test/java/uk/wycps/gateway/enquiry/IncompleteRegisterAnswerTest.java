package uk.wycps.gateway.enquiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.support.FederationHarness;
import uk.wycps.gateway.support.GatewayHarness;
import uk.wycps.record.ChildRecord;

/**
 * Verifies that a FHIR register with more candidates than the gateway may read in one search
 * (here one page of one, at most one page) is reported as not checked, with a notice saying its
 * answer was incomplete, never as the first page read as the whole answer (F5).
 */
@ExtendWith(VertxExtension.class)
class IncompleteRegisterAnswerTest {

    private FederationHarness federation;

    @BeforeEach
    void start(Vertx vertx, VertxTestContext ctx) {
        FederationHarness.start(vertx, new InMemoryAuditSink(), s -> !"kirklees".equals(s.authority()) ? s
                : new RegisterSettings(s.authority(), s.dialect(), s.baseUrl(), s.deadline(), s.maxConnections(),
                        s.maxWaitQueue(), s.maxResponseBytes(), s.options().copy().put("pageSize", 1).put("maxPages", 1)))
                .onComplete(ctx.succeeding(f -> {
                    federation = f;
                    ctx.completeNow();
                }));
    }

    @AfterEach
    void stop(VertxTestContext ctx) {
        federation.close().onComplete(ctx.succeedingThenComplete());
    }

    @Test
    void aFhirRegisterWithMorePagesThanCanBeReadIsNotCheckedAndSaysIncomplete(VertxTestContext ctx) {
        Map<String, Integer> families = new HashMap<>();
        for (ChildRecord r : federation.mocks.register("kirklees").records()) {
            families.merge(r.familyName(), 1, Integer::sum);
        }
        Map.Entry<String, Integer> common = families.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        assertTrue(common.getValue() > 1, "a family name Kirklees holds more than once");
        String token = federation.gateway.issuer.token("child-worker", "social-services", "bradford", "cross-authority:*");
        federation.gateway.enquire(token, GatewayHarness.enquiry(null, common.getKey(), null))
                .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    assertEquals(200, r.statusCode());
                    JsonObject answer = r.bodyAsJsonObject();
                    assertFalse(answer.getBoolean("complete"));
                    assertNotEquals("none-found", answer.getString("outcome"));
                    JsonArray registers = answer.getJsonArray("registers");
                    JsonObject kirklees = null;
                    for (int i = 0; i < registers.size(); i++) {
                        if ("kirklees".equals(registers.getJsonObject(i).getString("authority"))) {
                            kirklees = registers.getJsonObject(i);
                        }
                    }
                    assertEquals("ERROR", kirklees.getString("status"));
                    assertTrue(kirklees.getString("notice").contains("was not checked"), kirklees.getString("notice"));
                    assertTrue(kirklees.getString("notice").contains("incomplete"), kirklees.getString("notice"));
                    assertTrue(kirklees.getString("notice").contains("not a 'no record' result"));
                    ctx.completeNow();
                })));
    }
}
