package uk.wycps.gateway.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.support.FederationHarness;

/**
 * Verifies that statistics missing a register say so (F5, S1): not complete, that register's
 * status and a notice that the totals count only the registers that answered, and no column for
 * it.
 */
@ExtendWith(VertxExtension.class)
class StatisticsPartialAnswerTest {

    @Test
    void aRegisterThatIsDownMakesTheTotalsIncompleteAndSaysSo(Vertx vertx, VertxTestContext ctx) {
        FederationHarness.start(vertx, new InMemoryAuditSink())
                .compose(f -> f.mocks.register("kirklees").stop()
                        .compose(v -> f.gateway.client.get("/api/v1/statistics?purpose=planning&asOf=2025-12-31")
                                .bearerTokenAuthentication(f.gateway.issuer.token("cp-coordinator", "social-services",
                                        "leeds")).send())
                        .compose(r -> f.close().map(r)))
                .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    assertEquals(200, r.statusCode());
                    JsonObject answer = r.bodyAsJsonObject();
                    assertFalse(answer.getBoolean("complete"));
                    JsonObject kirklees = answer.getJsonArray("registers").stream().map(o -> (JsonObject) o)
                            .filter(o -> "kirklees".equals(o.getString("authority"))).findFirst().orElseThrow();
                    assertEquals("UNAVAILABLE", kirklees.getString("status"));
                    assertTrue(kirklees.getString("notice").contains("counts only the registers that answered"));
                    JsonObject table = answer.getJsonArray("tables").getJsonObject(0);
                    assertFalse(table.getJsonArray("columns").contains("kirklees"));
                    assertEquals(4, table.getJsonArray("columns").size());
                    ctx.completeNow();
                })));
    }
}
