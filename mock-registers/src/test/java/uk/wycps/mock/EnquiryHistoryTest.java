package uk.wycps.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.HistoryDelivery;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.record.SearchCriteria;
import uk.wycps.connector.canonicaljson.CanonicalJsonConnector;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.RecordJson;

/** The register's history of enquiries (M6, H3, A9): idempotent on entryId, served in the record. */
@ExtendWith(VertxExtension.class)
class EnquiryHistoryTest {

    private static MockFederation federation;
    private static MockRegister register;
    private static RawHttp http;

    @BeforeAll
    static void start(Vertx vertx, VertxTestContext ctx) {
        http = new RawHttp(vertx);
        MockRegisters.start(vertx, MockOptions.defaults().withCanonicalDialect().withChildrenPerRegister(200).withOnly("kirklees", 0))
                .onComplete(ctx.succeeding(f -> {
                    federation = f;
                    register = f.register("kirklees");
                    ctx.completeNow();
                }));
    }

    @AfterAll
    static void stop(VertxTestContext ctx) {
        federation.close().compose(v -> http.close()).onComplete(ctx.succeedingThenComplete());
    }

    private static EnquiryHistoryEntry entry(String entryId) {
        return new EnquiryHistoryEntry(entryId, "enq-" + entryId, Instant.parse("2026-11-24T10:15:30Z"),
                "user-17", "child-worker", "social-services", "leeds", "s47-enquiry", "risk-of-significant-harm");
    }

    /**
     * Verifies that a second PUT of the same entryId stores nothing new, and both entries are then
     * served (H3), while each arrival is counted per entry id.
     */
    @Test
    void putIsIdempotentAndTheEntriesAreServedInTheRecord(Vertx vertx, VertxTestContext ctx) throws Exception {
        ChildRecord child = register.records().get(17);
        String uri = "/records/" + child.recordId() + "/enquiries/e-1";
        String body = RecordJson.mapper().writeValueAsString(entry("e-1"));
        CanonicalJsonConnector connector = RawHttp.connector(vertx, register);
        SearchCriteria criteria = new SearchCriteria(child.givenName(), child.familyName(), null, null,
                child.dateOfBirth(), null, null);
        http.send(register, HttpMethod.PUT, uri, body)
                .compose(first -> {
                    ctx.verify(() -> {
                        assertEquals(201, first.status());
                        assertEquals(new JsonObject(), first.json());
                    });
                    return http.send(register, HttpMethod.PUT, uri, body);
                })
                .compose(second -> {
                    ctx.verify(() -> {
                        assertEquals(200, second.status());
                        assertEquals(1, register.enquiryHistory(child.recordId()).size());
                    });
                    // The gateway's connector: twice, as a retry after a lost acknowledgement would.
                    return connector.recordEnquiry(child.recordId(), entry("e/2 ü"), Deadline.afterMillis(2000))
                            .compose(v -> connector.recordEnquiry(child.recordId(), entry("e/2 ü"), Deadline.afterMillis(2000)));
                })
                .compose(v -> connector.search(RawHttp.request(criteria, Set.of("enquiryHistory"), 2000)))
                .onComplete(ctx.succeeding(found -> ctx.verify(() -> {
                    ChildRecord served = found.stream().filter(r -> r.recordId().equals(child.recordId()))
                            .findFirst().orElseThrow();
                    assertEquals(List.of(entry("e-1"), entry("e/2 ü")), served.enquiryHistory());
                    assertEquals(served.enquiryHistory(), register.enquiryHistory(child.recordId()));
                    assertEquals(served.enquiryHistory(), register.record(child.recordId()).orElseThrow().enquiryHistory());
                    // kept once, but each arrival counted: what tells "applied once" from "delivered once"
                    assertEquals(2, register.enquiryDeliveries("e-1"));
                    assertEquals(2, register.enquiryDeliveries("e/2 ü"));
                    assertEquals(0, register.enquiryDeliveries("never-sent"));
                    connector.close();
                    ctx.completeNow();
                })));
    }

    /** Verifies that an entry for a record the register does not hold is a 404, which the connector reports as a failure. */
    @Test
    void unknownRecordIs404(Vertx vertx, VertxTestContext ctx) throws Exception {
        CanonicalJsonConnector connector = RawHttp.connector(vertx, register);
        http.send(register, HttpMethod.PUT, "/records/KI-999999/enquiries/e-9",
                        RecordJson.mapper().writeValueAsString(entry("e-9")))
                .compose(a -> {
                    ctx.verify(() -> {
                        assertEquals(404, a.status());
                        assertEquals("unknown-record", a.json().getString("error"));
                    });
                    return connector.recordEnquiry("BD-000001", entry("e-9"), Deadline.afterMillis(2000));
                })
                .onComplete(ctx.failing(err -> ctx.verify(() -> {
                    assertInstanceOf(RegisterFailure.class, err);
                    assertEquals(RegisterFailure.Kind.ERROR, ((RegisterFailure) err).kind());
                    connector.close();
                    ctx.completeNow();
                })));
    }

    /** Verifies that a body that is not an entry, or names another entryId, is a 400 and stores nothing. */
    @Test
    void badEntriesAre400(VertxTestContext ctx) {
        String recordId = register.records().get(3).recordId();
        String uri = "/records/" + recordId + "/enquiries/e-3";
        http.send(register, HttpMethod.PUT, uri, "{\"entryId\":\"other\"}")
                .compose(a -> {
                    ctx.verify(() -> assertEquals(400, a.status()));
                    return http.send(register, HttpMethod.PUT, uri, "{\"entryId\":\"e-3\",\"surprise\":true}");
                })
                .compose(a -> {
                    ctx.verify(() -> assertEquals(400, a.status()));
                    return http.send(register, HttpMethod.PUT, uri, "nope");
                })
                .onComplete(ctx.succeeding(a -> ctx.verify(() -> {
                    assertEquals(400, a.status());
                    assertTrue(register.enquiryHistory(recordId).isEmpty());
                    ctx.completeNow();
                })));
    }

    /**
     * Verifies that the connector records a batch in one exchange per hundred entries, each once
     * even when the batch is sent again, and that a search answer carries only the record's most
     * recent {@link MockRegister#SERVED_ENQUIRY_HISTORY} entries, in arrival order.
     */
    @Test
    void aBatchIsRecordedOnceAndAnswersCarryTheMostRecentEntries(Vertx vertx, VertxTestContext ctx) {
        ChildRecord child = register.records().get(40);
        ChildRecord other = register.records().get(41);
        List<HistoryDelivery> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 150; i++) {
            batch.add(new HistoryDelivery(i % 2 == 0 ? child.recordId() : other.recordId(), entry("b-" + i)));
        }
        CanonicalJsonConnector connector = RawHttp.connector(vertx, register);
        long deliveriesBefore = register.enquiryDeliveries();
        connector.recordEnquiries(batch, Deadline.afterMillis(5000))
                .compose(v -> connector.recordEnquiries(batch.subList(0, 10), Deadline.afterMillis(5000)))
                .compose(v -> connector.search(RawHttp.request(new SearchCriteria(child.givenName(), child.familyName(),
                        null, null, child.dateOfBirth(), null, null), Set.of("enquiryHistory"), 2000)))
                .onComplete(ctx.succeeding(found -> ctx.verify(() -> {
                    assertEquals(150 + 10, register.enquiryDeliveries() - deliveriesBefore);
                    List<EnquiryHistoryEntry> kept = register.enquiryHistory(child.recordId());
                    assertEquals(75, kept.size());
                    assertEquals(75, register.enquiryHistory(other.recordId()).size());
                    ChildRecord served = found.stream().filter(r -> r.recordId().equals(child.recordId()))
                            .findFirst().orElseThrow();
                    assertEquals(kept.subList(75 - MockRegister.SERVED_ENQUIRY_HISTORY, 75), served.enquiryHistory());
                    assertEquals(entry("b-148"), served.enquiryHistory().get(MockRegister.SERVED_ENQUIRY_HISTORY - 1));
                    connector.close();
                    ctx.completeNow();
                })));
    }

    /** Verifies that a batch naming a record the register does not hold, or holding a bad entry, is refused whole. */
    @Test
    void aBadBatchIsRefusedWhole(VertxTestContext ctx) throws Exception {
        String recordId = register.records().get(60).recordId();
        String good = "{\"recordId\":\"" + recordId + "\",\"entry\":" + RecordJson.mapper().writeValueAsString(entry("w-1")) + "}";
        String unknown = "{\"recordId\":\"KI-999999\",\"entry\":" + RecordJson.mapper().writeValueAsString(entry("w-2")) + "}";
        String noId = "{\"recordId\":\"" + recordId + "\",\"entry\":{\"enquiryId\":\"x\"}}";
        http.send(register, HttpMethod.POST, "/enquiries", "{\"entries\":[" + good + "," + unknown + "]}")
                .compose(a -> {
                    ctx.verify(() -> {
                        assertEquals(404, a.status());
                        assertEquals("entries[1].recordId", a.json().getString("field"));
                    });
                    return http.send(register, HttpMethod.POST, "/enquiries", "{\"entries\":[" + good + "," + noId + "]}");
                })
                .compose(a -> {
                    ctx.verify(() -> assertEquals(400, a.status()));
                    return http.send(register, HttpMethod.POST, "/enquiries", "{\"entries\":[]}");
                })
                .compose(a -> {
                    ctx.verify(() -> assertEquals(400, a.status()));
                    return http.send(register, HttpMethod.POST, "/enquiries", "[" + good + "]");
                })
                .onComplete(ctx.succeeding(a -> ctx.verify(() -> {
                    assertEquals(400, a.status());
                    assertTrue(register.enquiryHistory(recordId).isEmpty());
                    ctx.completeNow();
                })));
    }
}
