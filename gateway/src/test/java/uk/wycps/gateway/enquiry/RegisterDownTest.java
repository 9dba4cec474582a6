package uk.wycps.gateway.enquiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.support.FederationHarness;
import uk.wycps.gateway.support.GatewayHarness;
import uk.wycps.mock.GroundTruth;
import uk.wycps.mock.SyntheticPopulation;

/**
 * Verifies that a register that is down is reported as not checked, never as "no record", while
 * the others' records still come back (F5).
 */
@ExtendWith(VertxExtension.class)
class RegisterDownTest {

    // Each test stops a register: each has a federation of its own, so that order never matters.
    private FederationHarness federation;

    @BeforeEach
    void start(Vertx vertx, VertxTestContext ctx) {
        FederationHarness.start(vertx, new InMemoryAuditSink()).onComplete(ctx.succeeding(f -> {
            federation = f;
            ctx.completeNow();
        }));
    }

    @AfterEach
    void stop(VertxTestContext ctx) {
        federation.close().onComplete(ctx.succeedingThenComplete());
    }

    @Test
    void stoppedRegisterIsUnavailableWithItsNoticeAndTheOthersRecordsArePresent(VertxTestContext ctx) {
        SyntheticPopulation.CrossBoundaryExample child = federation.mocks.population().crossBoundaryExample();
        Set<String> holders = child.records().stream().map(GroundTruth.RecordRef::authority)
                .collect(Collectors.toSet());
        String down = federation.mocks.registers().stream().map(r -> r.authority())
                .filter(a -> !holders.contains(a)).findFirst().orElseThrow();
        String token = federation.gateway.issuer.token("child-worker", "social-services", "bradford",
                "cross-authority:*");
        // GIVEN one register, not holding the child, is stopped
        federation.mocks.register(down).stop()
                // WHEN the child is enquired about
                .compose(v -> federation.gateway.enquire(token, GatewayHarness.enquiry(child.givenName(),
                        child.familyName(), child.dateOfBirth().toString())))
                .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    // THEN 200, not complete, that register UNAVAILABLE with its notice, the records present
                    assertEquals(200, r.statusCode());
                    JsonObject answer = r.bodyAsJsonObject();
                    assertFalse(answer.getBoolean("complete"));
                    assertEquals("found", answer.getString("outcome"));
                    JsonArray registers = answer.getJsonArray("registers");
                    for (int i = 0; i < registers.size(); i++) {
                        JsonObject part = registers.getJsonObject(i);
                        if (part.getString("authority").equals(down)) {
                            assertEquals("UNAVAILABLE", part.getString("status"));
                            assertTrue(part.getString("notice").contains("was not checked"));
                            assertTrue(part.getString("notice").contains("not a 'no record' result"));
                        } else {
                            assertEquals("OK", part.getString("status"));
                        }
                    }
                    assertEquals(holders.size(), answer.getJsonArray("persons").getJsonObject(0)
                            .getJsonArray("records").size());
                    ctx.completeNow();
                })));
    }

    @Test
    void childNobodyHoldsIsNotAllCheckedWhileARegisterIsDown(VertxTestContext ctx) {
        String down = "wakefield";
        String token = federation.gateway.issuer.token("child-worker", "social-services", "bradford",
                "cross-authority:*");
        federation.mocks.register(down).stop()
                .compose(v -> federation.gateway.enquire(token,
                        GatewayHarness.enquiry("Zebedee", "Quartermaine-Oyelaran", "2019-02-03")))
                .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    JsonObject answer = r.bodyAsJsonObject();
                    // "none-found" only when every register was checked (F5)
                    assertEquals("not-all-checked", answer.getString("outcome"));
                    assertFalse(answer.getBoolean("complete"));
                    ctx.completeNow();
                })));
    }
}
