package uk.wycps.gateway.statistics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
 * three years, as each of the three roles that may have statistics, and checks every pair of
 * answers (every role is shown the same figures, so two periods), cell by cell (the same table, row and authority or
 * total): no two published figures differ by a count that would have been suppressed (1 to 4),
 * and where a cell is published in one answer and suppressed in the other, what a reader can
 * tell of the change (every count the one could be against every count the other could be) is
 * never confined to 1 to 4 children come or gone.
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

    /** The callers who may have statistics (API.md): a reader may hold any of them, or ask as several. */
    private static final List<String[]> READERS = List.of(
            new String[] {"performance-quality", "social-services", "leeds"},
            new String[] {"senior-manager", "social-services", "bradford"},
            new String[] {"cp-coordinator", "social-services", "wakefield"});

    private static HttpResponse<Buffer> statistics(String asOf) throws Exception {
        return statistics(READERS.get(0), asOf);
    }

    private static HttpResponse<Buffer> statistics(String[] reader, String asOf) throws Exception {
        String token = federation.gateway.issuer.token(reader[0], reader[1], reader[2]);
        return federation.gateway.client.get("/api/v1/statistics?purpose=planning" + (asOf == null ? "" : "&asOf=" + asOf))
                .bearerTokenAuthentication(token).send().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /**
     * Every figure of an answer by its cell (table / row / authority or total): the published
     * number, or null where it is suppressed (shown as "<5").
     */
    private static Map<String, Long> shown(JsonObject answer) {
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
        } else {
            assertEquals("<" + THRESHOLD, shown, key);
            cells.put(key, null);
        }
    }

    /**
     * What a reader can tell of a cell's true count from what is shown, knowing what the answers
     * say of themselves: "<5" is 0 to 4, or 1 to 4 if the answers ever show a 0; a published
     * figure is every count of at least the threshold that rounds to it ({@code roundedTo}, 1
     * for none).
     */
    record Reader(int roundedTo, boolean zerosShown) {

        long[] range(Long shown) {
            if (shown == null) {
                return new long[] {zerosShown ? 1 : 0, THRESHOLD - 1};
            }
            long low = Long.MAX_VALUE;
            long high = Long.MIN_VALUE;
            for (long v = Math.max(0, shown - roundedTo); v <= shown + roundedTo; v++) {
                long rounded = roundedTo == 1 ? v : SuppressedTable.round(v, roundedTo);
                if (v >= THRESHOLD && rounded == shown) {
                    low = Math.min(low, v);
                    high = Math.max(high, v);
                }
            }
            assertTrue(low <= high, "no count shows as " + shown);
            return new long[] {low, high};
        }

        /**
         * The change between two shown figures as far as the reader can tell (every count the
         * second could be less every count the first could be), when it gives a small count
         * away: all of it small and none of it zero (1 to 4, or -4 to -1), so the reader knows
         * that some children, fewer than five, came or went; null when it does not.
         */
        long[] smallChange(Long first, Long second) {
            long[] a = range(first);
            long[] b = range(second);
            long low = b[0] - a[1];
            long high = b[1] - a[0];
            boolean small = (low >= 1 && high <= THRESHOLD - 1) || (high <= -1 && low >= -(THRESHOLD - 1));
            return small ? new long[] {low, high} : null;
        }
    }

    @Test
    void noTwoAllowedAnswersLetAReaderDifferenceOutASmallCountInAnyCell() throws Exception {
        LocalDate reference = SyntheticPopulation.REFERENCE_DATE;
        // Every allowed period end over the mock data's three years, asked by each reader.
        Map<String, Map<String, Long>> answers = new LinkedHashMap<>();
        int roundedTo = 1;
        for (YearMonth m = YearMonth.from(reference).minusMonths(36); m.isBefore(YearMonth.from(reference)); m = m.plusMonths(1)) {
            Map<String, Long> first = null;
            for (String[] reader : READERS) {
                HttpResponse<Buffer> r = statistics(reader, m.atEndOfMonth().toString());
                assertEquals(200, r.statusCode(), r.bodyAsString());
                assertTrue(r.bodyAsJsonObject().getBoolean("complete"));
                Map<String, Long> cells = shown(r.bodyAsJsonObject());
                roundedTo = r.bodyAsJsonObject().getJsonObject("suppression").getInteger("roundedTo", 1);
                // A reader gains nothing by asking in another role: every role is shown the same
                // figures, so the pairs across roles are the pairs across periods below.
                if (first == null) {
                    first = cells;
                    answers.put(m.atEndOfMonth().toString(), cells);
                } else {
                    assertEquals(first, cells, reader[0] + " at " + m.atEndOfMonth());
                }
            }
        }
        // What the answers say of themselves: rounded to 5, and no 0 ever shown (zeros are "<5").
        boolean zerosShown = answers.values().stream().anyMatch(cells -> cells.containsValue(0L));
        Reader reader = new Reader(roundedTo, zerosShown);
        List<String> keys = new ArrayList<>(answers.keySet());
        List<String> disclosures = new ArrayList<>();
        int bothPublished = 0;
        int changed = 0;
        int publishedAgainstSuppressed = 0;
        for (int i = 0; i < keys.size(); i++) {
            for (int j = i + 1; j < keys.size(); j++) {
                Map<String, Long> a = answers.get(keys.get(i));
                Map<String, Long> b = answers.get(keys.get(j));
                for (Map.Entry<String, Long> cell : a.entrySet()) {
                    if (!b.containsKey(cell.getKey())) {
                        continue; // a row that one period has and the other not (an age band)
                    }
                    Long x = cell.getValue();
                    Long y = b.get(cell.getKey());
                    if (x != null && y != null) {
                        bothPublished++;
                        long difference = Math.abs(x - y);
                        if (difference != 0) {
                            changed++;
                        }
                        // the published figures themselves never differ by a suppressed count
                        if (difference > 0 && difference < THRESHOLD) {
                            disclosures.add(keys.get(i) + " vs " + keys.get(j) + " " + cell.getKey() + ": " + x
                                    + " and " + y);
                        }
                    } else if (x != null || y != null) {
                        publishedAgainstSuppressed++;
                    } else {
                        continue;
                    }
                    // What a reader can tell of the change between the two (Reader.smallChange).
                    long[] small = reader.smallChange(x, y);
                    if (small != null) {
                        disclosures.add(keys.get(i) + " vs " + keys.get(j) + " " + cell.getKey() + ": "
                                + (x == null ? "<" + THRESHOLD : x) + " and " + (y == null ? "<" + THRESHOLD : y)
                                + " (change " + small[0] + ".." + small[1] + ")");
                    }
                }
            }
        }
        // The check has something to check: many cells published in both of a pair, many changed,
        // and many published in one answer and suppressed in the other (the case rounding must cover).
        assertTrue(bothPublished > 10_000 && changed > 1_000, bothPublished + " compared, " + changed + " changed");
        assertTrue(publishedAgainstSuppressed > 1_000, publishedAgainstSuppressed + " published against suppressed");
        assertTrue(disclosures.isEmpty(), disclosures.size() + " pairs give a small count away, e.g. "
                + disclosures.subList(0, Math.min(10, disclosures.size())));
    }

    @Test
    void theReaderModelCatchesASmallChangeWhereFiguresAreExactOrZerosShown() {
        Reader exact = new Reader(1, false);
        Reader exactWithZeros = new Reader(1, true);
        Reader asServed = new Reader(THRESHOLD, false);
        // Exact figures: 7 then 9 is a change of exactly 2.
        assertArrayEquals(new long[] {2, 2}, exact.smallChange(7L, 9L));
        // Exact figures with zeros shown: "<5" (1 to 4) then 5 is a change of 1 to 4, published
        // against suppressed: the case this test must check, and can fail on.
        assertArrayEquals(new long[] {1, 4}, exactWithZeros.smallChange(null, 5L));
        assertArrayEquals(new long[] {-4, -1}, exactWithZeros.smallChange(5L, null));
        // As served (rounded to 5, zeros suppressed): "<5" then 5 is 1 to 7 children, not all small;
        // 5 then 10 is -2 to 7 (5 is 5..7, 10 is 8..12), including none.
        assertNull(asServed.smallChange(null, 5L));
        assertArrayEquals(new long[] {5, 7}, asServed.range(5L));
        assertArrayEquals(new long[] {8, 12}, asServed.range(10L));
        assertNull(asServed.smallChange(5L, 10L));
        assertNull(asServed.smallChange(null, null));
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
