package uk.wycps.gateway.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static uk.wycps.gateway.support.ErrorBodies.assertError;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.LocalDate;
import java.time.Period;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.support.FederationHarness;
import uk.wycps.mock.MockRegister;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.Registration;

/**
 * Verifies statistics for planning end to end over the five mock registers, each in its own
 * dialect (S1, P3): every published figure equals the figure counted directly from the
 * registers' synthetic data (rounded to the nearest 5), no count under 5 is published, only planners with purpose
 * planning get them, and no person-level data appears.
 */
@ExtendWith(VertxExtension.class)
class StatisticsEndToEndTest {

    private static final LocalDate AS_OF = LocalDate.of(2025, 12, 31);
    private static final InMemoryAuditSink AUDIT = new InMemoryAuditSink();
    private static FederationHarness federation;

    @BeforeAll
    static void start(Vertx vertx, VertxTestContext ctx) {
        FederationHarness.start(vertx, AUDIT).onComplete(ctx.succeeding(f -> {
            federation = f;
            ctx.completeNow();
        }));
    }

    @AfterAll
    static void stop(VertxTestContext ctx) {
        federation.close().onComplete(ctx.succeedingThenComplete());
    }

    private static String token(String role) {
        return federation.gateway.issuer.token(role, "social-services", "leeds");
    }

    @Test
    void everyPublishedFigureEqualsTheCountFromTheRegistersAndNoSmallNumberIsShown(VertxTestContext ctx) {
        federation.gateway.client.get("/api/v1/statistics?purpose=planning&asOf=" + AS_OF)
                .bearerTokenAuthentication(token("performance-quality")).send()
                .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    assertEquals(200, r.statusCode(), r.bodyAsString());
                    JsonObject answer = r.bodyAsJsonObject();
                    assertTrue(answer.getBoolean("complete"), answer.getJsonArray("registers").encodePrettily());
                    Map<String, Map<String, Map<String, Long>>> truth = new HashMap<>();
                    for (MockRegister register : federation.mocks.registers()) {
                        truth.put(register.authority(), countDirectly(register));
                    }
                    int published = 0;
                    int suppressed = 0;
                    for (Object t : answer.getJsonArray("tables")) {
                        JsonObject table = (JsonObject) t;
                        for (Object row : table.getJsonArray("rows")) {
                            JsonObject cells = ((JsonObject) row).getJsonObject("counts");
                            String rowKey = ((JsonObject) row).getString("row");
                            long total = 0;
                            for (String authority : cells.fieldNames()) {
                                long expected = truth.get(authority).getOrDefault(table.getString("name"), Map.of())
                                        .getOrDefault(rowKey, 0L);
                                total += expected;
                                Object shown = cells.getValue(authority);
                                if (shown instanceof Number n) {
                                    assertEquals(rounded(expected), n.longValue(), table.getString("name") + "/" + rowKey
                                            + "/" + authority);
                                    assertTrue(n.longValue() >= 5);
                                    published++;
                                } else {
                                    assertEquals("<5", shown);
                                    suppressed++;
                                }
                            }
                            Object shownTotal = ((JsonObject) row).getValue("total");
                            if (shownTotal instanceof Number n) {
                                assertEquals(rounded(total), n.longValue(), table.getString("name") + "/" + rowKey + "/total");
                            }
                        }
                    }
                    assertTrue(published > 20 && suppressed > 0, published + " published, " + suppressed + " suppressed");
                    String text = r.bodyAsString();
                    ChildRecord any = federation.mocks.register("leeds").records().get(0);
                    assertFalse(text.contains(any.recordId()) || text.contains(any.familyName()));
                    // audited, with the period asked for (a sweep or a pair to difference shows as such)
                    assertTrue(AUDIT.entries().stream().anyMatch(e -> "statistics".equals(e.result())
                            && ("statistics for the period ending " + AS_OF).equals(e.justification())),
                            AUDIT.entries().toString());
                    ctx.completeNow();
                })));
    }

    @Test
    void theSameTableDownloadsAsCsv(VertxTestContext ctx) {
        federation.gateway.client.get("/api/v1/statistics?purpose=planning&asOf=" + AS_OF)
                .putHeader("Accept", "text/csv")
                .bearerTokenAuthentication(token("senior-manager")).send()
                .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    assertEquals(200, r.statusCode());
                    assertTrue(r.getHeader("Content-Type").startsWith("text/csv"));
                    String csv = r.bodyAsString();
                    assertTrue(csv.startsWith("table,row,"), csv);
                    assertTrue(csv.contains("byCategory,neglect,"));
                    assertTrue(csv.contains("<5"));
                    ctx.completeNow();
                })));
    }

    @Test
    void otherRolesAndOtherPurposesGet403(VertxTestContext ctx) {
        federation.gateway.client.get("/api/v1/statistics?purpose=planning")
                .bearerTokenAuthentication(token("child-worker")).send()
                .compose(worker -> federation.gateway.client.get("/api/v1/statistics?purpose=register-check")
                        .bearerTokenAuthentication(token("cp-coordinator")).send()
                        .map(purpose -> List.of(worker, purpose)))
                .onComplete(ctx.succeeding(rs -> ctx.verify(() -> {
                    assertError(rs.get(0), 403, "role-not-permitted");
                    assertError(rs.get(1), 403, "purpose-not-permitted");
                    ctx.completeNow();
                })));
    }

    /** S1: every published figure is rounded to the nearest 5 (the oracle rounds on its own). */
    private static long rounded(long count) {
        long down = count - count % 5;
        return count % 5 >= 3 ? down + 5 : down;
    }

    // ---- the oracle: counted straight from the records, written apart from RegisterAggregator ----

    private static Map<String, Map<String, Long>> countDirectly(MockRegister register) {
        Map<String, Map<String, Long>> t = new HashMap<>();
        List<String> months = new ArrayList<>();
        for (int k = 12; k >= 1; k--) {
            months.add(YearMonth.from(AS_OF).minusMonths(k).toString());
        }
        for (ChildRecord c : register.records()) {
            List<Registration> regs = new ArrayList<>();
            if (c.registrationHistory() != null) {
                regs.addAll(c.registrationHistory());
            }
            if (c.registration() != null && !regs.contains(c.registration())) {
                regs.add(c.registration());
            }
            regs.removeIf(x -> x.start() == null || x.start().isAfter(AS_OF));
            Registration active = null;
            for (Registration x : regs) {
                if (x.end() == null || x.end().isAfter(AS_OF)) {
                    active = x;
                }
                if (months.contains(YearMonth.from(x.start()).toString())) {
                    inc(t, "newRegistrationsByMonth", YearMonth.from(x.start()).toString());
                    boolean again = regs.stream().anyMatch(y -> y != x && y.end() != null && !y.end().isAfter(x.start())
                            && !y.end().isBefore(x.start().minusYears(2)));
                    if (again) {
                        inc(t, "reRegistrationsWithinTwoYears", "total");
                    }
                }
                if (x.end() != null && !x.end().isAfter(AS_OF) && months.contains(YearMonth.from(x.end()).toString())) {
                    inc(t, "deRegistrationsByMonth", YearMonth.from(x.end()).toString());
                }
                if (x.end() != null && !x.end().isBefore(AS_OF.minusMonths(12)) && x.end().isBefore(AS_OF)) {
                    long m = ChronoUnit.MONTHS.between(x.start(), x.end());
                    inc(t, "lengthOfRegistration", m < 3 ? "under-3-months" : m < 6 ? "3-6-months"
                            : m < 12 ? "6-12-months" : m < 24 ? "12-24-months" : "24-months-or-more");
                }
            }
            if (active == null) {
                continue;
            }
            inc(t, "onRegister", "total");
            inc(t, "byCategory", active.category().code());
            inc(t, "byGender", c.gender().code());
            int age = Period.between(c.dateOfBirth(), AS_OF).getYears();
            if (age < 18) {
                inc(t, "byAgeBand", age < 5 ? "0-4" : age < 10 ? "5-9" : age < 16 ? "10-15" : "16-17");
            }
            if (hadAnEarlierRegistrationElsewhere(register.authority(), c)) {
                inc(t, "crossBoundaryMoves", "total");
            }
        }
        return t;
    }

    /**
     * Counted from the ground truth file's persons, not with the mock's own predicate: the child
     * has a record in another authority whose earliest registration start is before this
     * record's earliest (or this record has none).
     */
    private static boolean hadAnEarlierRegistrationElsewhere(String authority, ChildRecord c) {
        if (personOf == null) {
            personOf = new HashMap<>();
            recordOf = new HashMap<>();
            var population = federation.mocks.population();
            for (var person : population.groundTruth().persons()) {
                person.records().forEach(ref -> personOf.put(ref.authority() + ":" + ref.recordId(), person));
            }
            for (String a : population.authorities()) {
                population.records(a).forEach(r -> recordOf.put(a + ":" + r.recordId(), r));
            }
        }
        java.util.Optional<LocalDate> ownStart = earliestStart(c);
        return personOf.get(authority + ":" + c.recordId()).records().stream()
                .filter(ref -> !ref.authority().equals(authority))
                .map(ref -> recordOf.get(ref.authority() + ":" + ref.recordId()))
                .map(StatisticsEndToEndTest::earliestStart).flatMap(java.util.Optional::stream)
                .anyMatch(theirs -> ownStart.isEmpty() || theirs.isBefore(ownStart.get()));
    }

    private static Map<String, uk.wycps.mock.GroundTruth.Person> personOf;
    private static Map<String, ChildRecord> recordOf;

    private static java.util.Optional<LocalDate> earliestStart(ChildRecord c) {
        java.util.stream.Stream<Registration> history = c.registrationHistory() == null ? java.util.stream.Stream.empty()
                : c.registrationHistory().stream();
        return java.util.stream.Stream.concat(history, java.util.stream.Stream.ofNullable(c.registration()))
                .map(Registration::start).filter(java.util.Objects::nonNull).min(LocalDate::compareTo);
    }

    private static void inc(Map<String, Map<String, Long>> t, String table, String row) {
        t.computeIfAbsent(table, k -> new HashMap<>()).merge(row, 1L, Long::sum);
    }
}
