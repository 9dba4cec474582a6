package uk.wycps.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.record.SearchCriteria;
import uk.wycps.connector.canonicaljson.CanonicalJsonConnector;
import uk.wycps.mock.SyntheticPopulation.CrossBoundaryExample;
import uk.wycps.mock.data.Community;
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.PersonName;
import uk.wycps.record.Relationship;

/** Search over real HTTP with the gateway's own connector: pre-filter, projection (A5), no ground truth. */
@ExtendWith(VertxExtension.class)
class RegisterSearchTest {

    private static final Set<String> ALL = CanonicalFields.all();
    private static MockFederation federation;
    private static RawHttp http;

    @BeforeAll
    static void start(Vertx vertx, VertxTestContext ctx) {
        http = new RawHttp(vertx);
        MockRegisters.start(vertx, MockOptions.defaults().withCanonicalDialect().withChildrenPerRegister(1000).withEphemeralPorts())
                .onComplete(ctx.succeeding(f -> {
                    federation = f;
                    ctx.completeNow();
                }));
    }

    @AfterAll
    static void stop(VertxTestContext ctx) {
        federation.close().compose(v -> http.close()).onComplete(ctx.succeedingThenComplete());
    }

    /** Verifies that the example child is found in both its registers by exact criteria (F4, demo). */
    @Test
    void findsTheCrossBoundaryExampleInBothItsRegisters(Vertx vertx, VertxTestContext ctx) {
        CrossBoundaryExample example = federation.population().crossBoundaryExample();
        List<Future<List<ChildRecord>>> searches = new ArrayList<>();
        List<CanonicalJsonConnector> connectors = new ArrayList<>();
        for (GroundTruth.RecordRef ref : example.records()) {
            CanonicalJsonConnector c = RawHttp.connector(vertx, federation.register(ref.authority()));
            connectors.add(c);
            searches.add(c.search(RawHttp.request(example.criteria(), ALL, 2000)));
        }
        Future.all(searches).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
            for (int i = 0; i < searches.size(); i++) {
                String wanted = example.records().get(i).recordId();
                ChildRecord found = searches.get(i).result().stream()
                        .filter(r -> r.recordId().equals(wanted)).findFirst().orElseThrow();
                assertEquals(example.givenName(), found.givenName());
                assertEquals(example.dateOfBirth(), found.dateOfBirth());
                assertEquals(example.records().get(i).authority(), found.address().authority());
                assertEquals(wanted, searches.get(i).result().get(0).recordId(), "exact match ranks first");
            }
            connectors.forEach(CanonicalJsonConnector::close);
            ctx.completeNow();
        })));
    }

    /** Verifies that a register sends only the asked fields, plus recordId (A5 data minimisation). */
    @Test
    void sendsOnlyTheRequestedFields(VertxTestContext ctx) {
        CrossBoundaryExample example = federation.population().crossBoundaryExample();
        MockRegister bradford = federation.register("bradford");
        String query = new JsonObject()
                .put("criteria", new JsonObject().put("familyName", example.familyName())
                        .put("givenName", example.givenName()).put("dateOfBirth", example.dateOfBirth().toString()))
                .put("fields", new JsonArray().add("givenName").add("dateOfBirth").add("relationships")
                        .add("relationships[].concernIndicator"))
                .encode();
        http.send(bradford, HttpMethod.POST, "/search", query).onComplete(ctx.succeeding(a -> ctx.verify(() -> {
            assertEquals(200, a.status());
            assertTrue(a.contentType().startsWith("application/json"));
            JsonArray records = a.json().getJsonArray("records");
            assertFalse(records.isEmpty());
            for (Object o : records) {
                JsonObject r = (JsonObject) o;
                assertEquals(Set.of("recordId", "givenName", "dateOfBirth", "relationships"), r.fieldNames());
                for (Object rel : r.getJsonArray("relationships")) {
                    assertFalse(((JsonObject) rel).containsKey("scheduleOneIndicator"), "Schedule One not asked for (A6)");
                    assertTrue(((JsonObject) rel).containsKey("concernIndicator"));
                }
            }
            ctx.completeNow();
        })));
    }

    /**
     * Verifies that the pre-filter tolerates swapped names, a transposed day and month, a year
     * either side, letter case and a changed family name (F4: a moved child is still found).
     */
    @Test
    void findsSwappedNamesAndTransposedDates(Vertx vertx, VertxTestContext ctx) {
        MockRegister leeds = federation.register("leeds");
        ChildRecord child = leeds.records().stream()
                .filter(r -> r.dateOfBirth().getDayOfMonth() <= 12 && r.dateOfBirth().getDayOfMonth() != r.dateOfBirth().getMonthValue())
                .findFirst().orElseThrow();
        LocalDate dob = child.dateOfBirth();
        LocalDate transposed = LocalDate.of(dob.getYear(), dob.getDayOfMonth(), dob.getMonthValue());
        CanonicalJsonConnector c = RawHttp.connector(vertx, leeds);
        List<SearchCriteria> variants = List.of(
                new SearchCriteria(child.givenName(), child.familyName(), null, null, transposed, null, null),
                new SearchCriteria(child.familyName(), child.givenName(), null, null, dob, null, null),
                new SearchCriteria(child.givenName(), child.familyName(), null, null, dob.plusYears(1), null, null),
                new SearchCriteria(null, child.familyName().toUpperCase(java.util.Locale.ROOT), null, null, dob, null, null),
                // A changed family name: the given name and the very date of birth still find the child.
                new SearchCriteria(child.givenName(), "Zzyzxqj", null, null, dob, null, null),
                new SearchCriteria(child.givenName(), "Zzyzxqj", null, null, transposed, null, null));
        Future.all(variants.stream().map(v -> c.search(RawHttp.request(v, Set.of("recordId"), 2000))).toList())
                .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
                    for (int i = 0; i < variants.size(); i++) {
                        List<ChildRecord> found = all.resultAt(i);
                        assertTrue(found.stream().anyMatch(r -> r.recordId().equals(child.recordId())), "variant " + i);
                    }
                    c.close();
                    ctx.completeNow();
                })));
    }

    /**
     * Verifies that a search returns at most the register's cap (50 closest candidates, within
     * the connector's limit of 200), never the whole register, nor unrelated names.
     */
    @Test
    void neverReturnsMoreThanItsCapNorUnrelatedChildren(Vertx vertx, VertxTestContext ctx) {
        MockRegister wakefield = federation.register("wakefield");
        List<PersonName> everySurname = Community.WHITE_BRITISH.surnames().stream()
                .map(s -> new PersonName(null, s)).toList();
        SearchCriteria broad = new SearchCriteria(null, "Smith", null, everySurname, null, null, null);
        SearchCriteria unrelated = new SearchCriteria("Xq", "Zzyzxqj", null, null, LocalDate.of(2015, 1, 1), null, null);
        SearchCriteria familyOnly = new SearchCriteria(null, "Smith", null, null, null, null, null);
        CanonicalJsonConnector c = RawHttp.connector(vertx, wakefield);
        Future.all(List.of(broad, unrelated, familyOnly).stream()
                        .map(s -> c.search(RawHttp.request(s, Set.of("recordId", "familyName"), 2000))).toList())
                .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
                    List<ChildRecord> many = all.resultAt(0);
                    assertEquals(CandidateIndex.MAX_CANDIDATES, many.size(), "capped at the register's cap");
                    org.junit.jupiter.api.Assertions.assertTrue(many.size() <= CanonicalJsonConnector.MAX_RECORDS);
                    List<ChildRecord> none = all.resultAt(1);
                    assertTrue(none.isEmpty());
                    List<ChildRecord> smiths = all.resultAt(2);
                    assertFalse(smiths.isEmpty());
                    assertTrue(smiths.size() < 100, "a family name alone is not the whole register: " + smiths.size());
                    c.close();
                    ctx.completeNow();
                })));
    }

    /** Verifies that records are served with the canonical fields only: no ground truth leaks out. */
    @Test
    void groundTruthIsNeverServed(VertxTestContext ctx) {
        MockRegister bradford = federation.register("bradford");
        ChildRecord mover = federation.population().record("bradford", 0);
        JsonArray fields = new JsonArray();
        ALL.forEach(fields::add);
        String query = new JsonObject().put("criteria", new JsonObject().put("familyName", mover.familyName())
                .put("givenName", mover.givenName())).put("fields", fields).encode();
        http.send(bradford, HttpMethod.POST, "/search", query)
                .compose(a -> {
                    ctx.verify(() -> {
                        assertEquals(200, a.status());
                        String body = a.body().toString();
                        assertFalse(body.contains("personId"));
                        assertFalse(body.contains("\"P-0"));
                        for (Object o : a.json().getJsonArray("records")) {
                            assertTrue(CanonicalFields.topLevel().containsAll(((JsonObject) o).fieldNames()));
                        }
                    });
                    return http.send(bradford, HttpMethod.GET, "/ground-truth", null);
                })
                .onComplete(ctx.succeeding(a -> ctx.verify(() -> {
                    assertEquals(404, a.status());
                    ctx.completeNow();
                })));
    }

    /** Verifies that a bad query is a 400 with a JSON error, never a 500 or a stack trace. */
    @Test
    void badQueriesAre400(VertxTestContext ctx) {
        MockRegister kirklees = federation.register("kirklees");
        List<String> bad = List.of(
                "not json",
                "{}",
                "[]",
                "{\"criteria\":{\"givenName\":\"Aisha\"},\"fields\":[\"givenName\"]}",
                "{\"criteria\":{\"familyName\":\"Khan\"}}",
                "{\"criteria\":{\"familyName\":\"Khan\"},\"fields\":[\"secretField\"]}",
                "{\"criteria\":{\"familyName\":\"Khan\"},\"fields\":[],\"extra\":1}",
                "{\"criteria\":{\"familyName\":\"Khan\",\"dateOfBirth\":\"2015-13-45\"},\"fields\":[]}",
                "{\"criteria\":{\"familyName\":\"  \"},\"fields\":[]}",
                "{\"criteria\":{\"familyName\":\"Khan\",\"gender\":\"robot\"},\"fields\":[]}");
        List<Future<RawHttp.Answer>> answers = bad.stream()
                .map(b -> http.send(kirklees, HttpMethod.POST, "/search", b)).toList();
        Future.all(answers).compose(all -> http.send(kirklees, HttpMethod.POST, "/search",
                        "{\"criteria\":{\"familyName\":\"" + "x".repeat(RegisterVerticle.BODY_LIMIT) + "\"},\"fields\":[]}"))
                .onComplete(ctx.succeeding(tooLarge -> ctx.verify(() -> {
                    for (int i = 0; i < bad.size(); i++) {
                        RawHttp.Answer a = answers.get(i).result();
                        assertEquals(400, a.status(), bad.get(i));
                        assertTrue(a.contentType().startsWith("application/json"));
                        assertNotNull(a.json().getString("error"));
                        assertFalse(a.body().toString().contains("Exception"));
                    }
                    assertEquals(413, tooLarge.status());
                    ctx.completeNow();
                })));
    }

    /** Verifies that relationships carry Schedule One indicators only when asked for (A6, M8). */
    @Test
    void scheduleOneIndicatorOnlyWhenAsked(Vertx vertx, VertxTestContext ctx) {
        MockRegister leeds = federation.register("leeds");
        ChildRecord child = leeds.records().stream()
                .filter(r -> r.relationships().stream().anyMatch(x -> Boolean.TRUE.equals(x.scheduleOneIndicator())))
                .findFirst().orElseThrow();
        SearchCriteria criteria = new SearchCriteria(child.givenName(), child.familyName(), null, null,
                child.dateOfBirth(), null, null);
        CanonicalJsonConnector c = RawHttp.connector(vertx, leeds);
        Future.all(c.search(RawHttp.request(criteria, Set.of("relationships"), 2000)),
                        c.search(RawHttp.request(criteria, Set.of("relationships", CanonicalFields.RELATIONSHIP_SCHEDULE_ONE), 2000)))
                .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
                    List<ChildRecord> without = all.resultAt(0);
                    List<ChildRecord> with = all.resultAt(1);
                    ChildRecord a = without.stream().filter(r -> r.recordId().equals(child.recordId())).findFirst().orElseThrow();
                    ChildRecord b = with.stream().filter(r -> r.recordId().equals(child.recordId())).findFirst().orElseThrow();
                    assertTrue(a.relationships().stream().map(Relationship::scheduleOneIndicator).allMatch(x -> x == null));
                    assertTrue(b.relationships().stream().anyMatch(x -> Boolean.TRUE.equals(x.scheduleOneIndicator())));
                    assertNull(b.givenName());
                    c.close();
                    ctx.completeNow();
                })));
    }
}
