package uk.wycps.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.HistoryDelivery;
import uk.wycps.connector.canonicaljson.CanonicalJsonConnector;
import uk.wycps.record.EnquiryHistoryEntry;

/** The benchmarks' frozen history: every record the same seeded entries, deliveries acknowledged and counted, not kept. */
@ExtendWith(VertxExtension.class)
class FrozenHistoryTest {

    @Test
    void aFrozenRegisterServesItsSeedAndAcknowledgesWithoutKeeping(Vertx vertx, VertxTestContext ctx) {
        MockRegisters.start(vertx, MockOptions.defaults().withCanonicalDialect().withChildrenPerRegister(50)
                        .withOnly("leeds", 0))
                .onComplete(ctx.succeeding(federation -> {
                    MockRegister register = federation.register("leeds");
                    register.freezeEnquiryHistory(3);
                    String recordId = register.records().get(7).recordId();
                    List<EnquiryHistoryEntry> seeded = register.enquiryHistory(recordId);
                    EnquiryHistoryEntry extra = new EnquiryHistoryEntry("x-1", "enq-x-1", Instant.parse("2026-11-24T10:00:00Z"),
                            "user-1", "child-worker", "social-services", "bradford", "register-check", "not-sought");
                    CanonicalJsonConnector connector = RawHttp.connector(vertx, register);
                    connector.recordEnquiries(List.of(new HistoryDelivery(recordId, extra)), Deadline.afterMillis(2000))
                            .eventually(() -> federation.close())
                            .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
                                assertEquals(3, seeded.size());
                                assertEquals(seeded, register.enquiryHistory(recordId));
                                assertEquals(1, register.enquiryDeliveries());
                                ctx.completeNow();
                            })));
                }));
    }
}
