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
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.SearchCriteria;
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

    /** Verifies that a second PUT of the same entryId stores nothing new, and both entries are then served (H3). */
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
}
