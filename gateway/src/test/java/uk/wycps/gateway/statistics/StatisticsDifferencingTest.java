package uk.wycps.gateway.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static uk.wycps.gateway.support.ErrorBodies.assertError;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.support.FederationHarness;
import uk.wycps.mock.SyntheticPopulation;

/**
 * Statistics differencing (S1, issue 14 item 3). The attack: ask for two periods and subtract.
 * When {@code asOf} could be any day, two adjacent days differed by one child's registration.
 * Now only published period ends are allowed, and every figure is rounded to a multiple of the
 * suppression threshold; this test asks for every allowed period end over the mock data's
 * three years and checks every pair of answers, cell by cell (the same table, row and
 * authority or total): no two published figures differ by a count that would have been
 * suppressed (1 to 4).
 */
@ExtendWith(VertxExtension.class)
class StatisticsDifferencingTest {

    private static final int THRESHOLD = 5;
    private static FederationHarness federation;

    @BeforeAll
    static void start(Vertx vertx, VertxTestContext ctx) {
        FederationHarness.start(vertx, new InMemoryAuditSink()).onComplete(ctx.succeeding(f -> {
            federation = f;
            ctx.completeNow();
        }));
    }

    @AfterAll
    static void stop(VertxTestContext ctx) {
        federation.close().onComplete(ctx.succeedingThenComplete());
    }

    private static HttpResponse<Buffer> statistics(String asOf) throws Exception {
        String token = federation.gateway.issuer.token("performance-quality", "social-services", "leeds");
        return federation.gateway.client.get("/api/v1/statistics?purpose=planning" + (asOf == null ? "" : "&asOf=" + asOf))
                .bearerTokenAuthentication(token).send().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Every published figure of an answer by its cell: table / row / authority (or total). */
    private static Map<String, Long> published(JsonObject answer) {
        Map<String, Long> cells = new LinkedHashMap<>();
        for (Object t : answer.getJsonArray("tables")) {
            JsonObject table = (JsonObject) t;
            String name = table.getString("name");
            for (Object r : table.getJsonArray("rows")) {
                JsonObject row = (JsonObject) r;
                JsonObject counts = row.getJsonObject("counts");
                for (String column : counts.fieldNames()) {
                    put(cells, name + "/" + row.getString("row") + "/" + column, counts.getValue(column));
                }
                put(cells, name + "/" + row.getString("row") + "/total", row.getValue("total"));
            }
            JsonObject totals = table.getJsonObject("totals");
            for (String column : totals.fieldNames()) {
                put(cells, name + "/all/" + column, totals.getValue(column));
            }
            put(cells, name + "/all/total", table.getValue("total"));
        }
        return cells;
    }

    private static void put(Map<String, Long> cells, String key, Object shown) {
        if (shown instanceof Number n) {
            cells.put(key, n.longValue());
        }
    }

    @Test
    void noTwoAllowedPeriodEndsDifferInAnyCellByACountThatWouldHaveBeenSuppressed() throws Exception {
        LocalDate reference = SyntheticPopulation.REFERENCE_DATE;
        Map<LocalDate, Map<String, Long>> answers = new LinkedHashMap<>();
        for (YearMonth m = YearMonth.from(reference).minusMonths(36); m.isBefore(YearMonth.from(reference)); m = m.plusMonths(1)) {
            HttpResponse<Buffer> r = statistics(m.atEndOfMonth().toString());
            assertEquals(200, r.statusCode(), r.bodyAsString());
            assertTrue(r.bodyAsJsonObject().getBoolean("complete"));
            answers.put(m.atEndOfMonth(), published(r.bodyAsJsonObject()));
        }
        List<LocalDate> ends = new ArrayList<>(answers.keySet());
        List<String> disclosures = new ArrayList<>();
        int compared = 0;
        int changed = 0;
        for (int i = 0; i < ends.size(); i++) {
            for (int j = i + 1; j < ends.size(); j++) {
                Map<String, Long> a = answers.get(ends.get(i));
                Map<String, Long> b = answers.get(ends.get(j));
                for (Map.Entry<String, Long> cell : a.entrySet()) {
                    Long other = b.get(cell.getKey());
                    if (other == null) {
                        continue;
                    }
                    compared++;
                    long difference = Math.abs(cell.getValue() - other);
                    if (difference != 0) {
                        changed++;
                    }
                    if (difference > 0 && difference < THRESHOLD) {
                        disclosures.add(ends.get(i) + " vs " + ends.get(j) + " " + cell.getKey() + ": " + cell.getValue()
                                + " and " + other);
                    }
                }
            }
        }
        // The check has something to check: many cells published in both of a pair, many changed.
        assertTrue(compared > 10_000 && changed > 1_000, compared + " compared, " + changed + " changed");
        assertTrue(disclosures.isEmpty(), disclosures.size() + " pairs differ by a suppressed count, e.g. "
                + disclosures.subList(0, Math.min(10, disclosures.size())));
    }

    @ParameterizedTest(name = "asOf={0}")
    @ValueSource(strings = {"2025-12-30", "2025-12-01", "2025-02-28x", "2024-02-28", "2999-12-31", "today"})
    void anyDayButAPublishedPeriodEndIs400(String asOf) throws Exception {
        HttpResponse<Buffer> r = statistics(asOf);
        assertError(r, 400, "invalid-parameter");
        assertTrue(r.bodyAsJsonObject().getString("message").contains("last day of a month"), r.bodyAsString());
    }

    @Test
    void aLeapYearsFebruaryEndAndTheDefaultAreAllowed() throws Exception {
        assertEquals(200, statistics("2024-02-29").statusCode());
        HttpResponse<Buffer> latest = statistics(null);
        assertEquals(200, latest.statusCode());
        assertEquals(YearMonth.now().minusMonths(1).atEndOfMonth().toString(), latest.bodyAsJsonObject().getString("asOf"));
    }
}
