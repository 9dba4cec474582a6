package uk.wycps.gateway.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static uk.wycps.gateway.support.Answers.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
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

    /**
     * Verifies that with no register answering, the answer says so and gives no figures (F5: a
     * total of no register would read "&lt;5" of West Yorkshire's children), promptly: the
     * suppression of a table of no columns looped for ever on the event loop, and the request
     * was never answered nor audited.
     */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void withNoRegisterAnsweringTheAnswerHasNoFiguresAndSaysWhy(Vertx vertx) throws Exception {
        FederationHarness f = await(FederationHarness.start(vertx, new InMemoryAuditSink()));
        try {
            for (String authority : List.of("bradford", "calderdale", "kirklees", "leeds", "wakefield")) {
                await(f.mocks.register(authority).stop());
            }
            HttpResponse<Buffer> r = await(f.gateway.client.get("/api/v1/statistics?purpose=planning&asOf=2025-12-31")
                    .bearerTokenAuthentication(f.gateway.issuer.token("cp-coordinator", "social-services", "leeds"))
                    .send());
            assertEquals(200, r.statusCode(), r.bodyAsString());
            JsonObject answer = r.bodyAsJsonObject();
            assertFalse(answer.getBoolean("complete"));
            assertTrue(answer.getJsonArray("tables").isEmpty(), answer.encode());
            assertEquals(5, answer.getJsonArray("registers").size());
            answer.getJsonArray("registers").forEach(o -> assertEquals("UNAVAILABLE", ((JsonObject) o).getString("status")));
        } finally {
            await(f.close());
        }
    }

    /**
     * Verifies that a period end far from ours is refused as any other bad period (400): year
     * -999999999 overflowed the tables' month arithmetic, failed every register's answer as
     * ERROR, and so reached the suppression of a table of no columns.
     */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aPeriodEndBeforeTheRegistersIsRefused(Vertx vertx) throws Exception {
        FederationHarness f = await(FederationHarness.start(vertx, new InMemoryAuditSink()));
        try {
            for (String asOf : List.of("-999999999-12-31", "1999-12-31", "+999999999-12-31")) {
                HttpResponse<Buffer> r = await(f.gateway.client.get("/api/v1/statistics?purpose=planning&asOf=" + asOf)
                        .bearerTokenAuthentication(f.gateway.issuer.token("cp-coordinator", "social-services", "leeds"))
                        .send());
                assertEquals(400, r.statusCode(), asOf + ": " + r.bodyAsString());
                assertEquals("invalid-parameter", r.bodyAsJsonObject().getString("error"));
            }
        } finally {
            await(f.close());
        }
    }

    /**
     * Verifies the same through the CSV route (F5, S1): with every register answering the CSV
     * starts with its table header and has no comment line; with Kirklees down its first line
     * says the totals are incomplete, and the tables have no Kirklees column.
     */
    @Test
    void theCsvSaysIncompleteOnItsFirstLineOnlyWhenARegisterWasNotChecked(Vertx vertx) throws Exception {
        FederationHarness f = await(FederationHarness.start(vertx, new InMemoryAuditSink()));
        try {
            String token = f.gateway.issuer.token("cp-coordinator", "social-services", "leeds");
            // GIVEN every register answering: the answer is complete, and its CSV has no comment line
            JsonObject whole = await(statistics(f, token, "application/json")).bodyAsJsonObject();
            assertTrue(whole.getBoolean("complete"), whole.encode());
            HttpResponse<Buffer> complete = await(statistics(f, token, "text/csv"));
            assertEquals(200, complete.statusCode(), complete.bodyAsString());
            assertTrue(complete.getHeader("Content-Type").startsWith("text/csv"), complete.getHeader("Content-Type"));
            String completeCsv = complete.bodyAsString();
            assertTrue(completeCsv.startsWith("table,row,"), completeCsv);
            assertFalse(completeCsv.contains("#"), completeCsv);
            assertTrue(completeCsv.lines().findFirst().orElseThrow().contains(",kirklees,"), completeCsv);
            // WHEN Kirklees is down
            await(f.mocks.register("kirklees").stop());
            HttpResponse<Buffer> partial = await(statistics(f, token, "text/csv"));
            // THEN the CSV's first line says the totals are incomplete, the next which register was
            // not counted and why (F5), and no table has a Kirklees column
            assertEquals(200, partial.statusCode(), partial.bodyAsString());
            List<String> lines = partial.bodyAsString().lines().toList();
            assertEquals("# incomplete: not every register answered; totals count only those that did", lines.get(0));
            assertEquals("# not counted: kirklees UNAVAILABLE", lines.get(1));
            assertEquals(2, lines.stream().filter(l -> l.startsWith("#")).count(), partial.bodyAsString());
            assertTrue(lines.get(2).startsWith("table,row,"), partial.bodyAsString());
            assertFalse(lines.stream().filter(l -> !l.startsWith("#")).anyMatch(l -> l.contains("kirklees")),
                    partial.bodyAsString());
        } finally {
            await(f.close());
        }
    }

    private static Future<HttpResponse<Buffer>> statistics(FederationHarness f, String token, String accept) {
        return f.gateway.client.get("/api/v1/statistics?purpose=planning&asOf=2025-12-31").putHeader("Accept", accept)
                .bearerTokenAuthentication(token).send();
    }
}
