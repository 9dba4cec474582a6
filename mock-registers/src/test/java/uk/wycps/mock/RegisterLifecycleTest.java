package uk.wycps.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.record.SearchCriteria;
import uk.wycps.connector.canonicaljson.CanonicalJsonConnector;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.EnquiryHistoryEntry;

/** Starting, stopping and restarting registers; what they log. */
@ExtendWith(VertxExtension.class)
class RegisterLifecycleTest {

    /** Verifies that a stopped register refuses connections (UNAVAILABLE, never empty: F5) and comes back with its history. */
    @Test
    void stoppedRegisterIsUnavailableAndRestartsWithItsHistory(Vertx vertx, VertxTestContext ctx) {
        MockRegisters.start(vertx, MockOptions.defaults().withCanonicalDialect().withChildrenPerRegister(100).withEphemeralPorts())
                .onComplete(ctx.succeeding(federation -> {
                    MockRegister leeds = federation.register("leeds");
                    int port = leeds.port();
                    ChildRecord child = leeds.records().get(5);
                    SearchCriteria criteria = new SearchCriteria(child.givenName(), child.familyName(), null, null,
                            child.dateOfBirth(), null, null);
                    CanonicalJsonConnector connector = RawHttp.connector(vertx, leeds);
                    EnquiryHistoryEntry entry = new EnquiryHistoryEntry("e-1", "q-1", Instant.EPOCH, "u", "referrer",
                            "health", null, "register-check", "authorised-register-check");
                    connector.recordEnquiry(child.recordId(), entry, Deadline.afterMillis(2000))
                            .compose(v -> leeds.stop())
                            .compose(v -> {
                                ctx.verify(() -> assertFalse(leeds.running()));
                                return connector.search(RawHttp.request(criteria, Set.of("givenName"), 1000))
                                        .transform(ar -> {
                                            ctx.verify(() -> {
                                                assertTrue(ar.failed(), "a stopped register is not an empty one");
                                                RegisterFailure f = assertInstanceOf(RegisterFailure.class, ar.cause());
                                                assertEquals(RegisterFailure.Kind.UNAVAILABLE, f.kind());
                                            });
                                            return leeds.restart();
                                        });
                            })
                            .compose(v -> connector.search(RawHttp.request(criteria, Set.of("enquiryHistory"), 2000)))
                            .onComplete(ctx.succeeding(found -> ctx.verify(() -> {
                                assertEquals(port, leeds.port());
                                ChildRecord served = found.stream().filter(r -> r.recordId().equals(child.recordId()))
                                        .findFirst().orElseThrow();
                                assertEquals(List.of(entry), served.enquiryHistory());
                                assertTrue(federation.register("bradford").running(), "the others kept running");
                                connector.close();
                                federation.close().onComplete(ctx.succeedingThenComplete());
                            })));
                }));
    }

    /** Verifies that a port already taken fails the start (O2) and leaves nothing half-started. */
    @Test
    void portInUseFailsTheStart(Vertx vertx, VertxTestContext ctx) {
        MockRegisters.start(vertx, MockOptions.defaults().withCanonicalDialect().withChildrenPerRegister(50).withOnly("wakefield", 0))
                .onComplete(ctx.succeeding(first -> {
                    int taken = first.register("wakefield").port();
                    java.util.Map<String, Integer> ports = new java.util.LinkedHashMap<>();
                    ports.put("bradford", 0);
                    ports.put("wakefield", taken);
                    MockRegisters.start(vertx, MockOptions.defaults().withCanonicalDialect().withChildrenPerRegister(50).withPorts(ports))
                            .onComplete(ctx.failing(err -> ctx.verify(() -> {
                                assertTrue(first.register("wakefield").running());
                                first.close().onComplete(ctx.succeedingThenComplete());
                            })));
                }));
    }

    /** Verifies that the registers log ids and counts only: no names, dates of birth or postcodes (H5). */
    @Test
    void logsCarryNoPersonalData(Vertx vertx, VertxTestContext ctx) {
        // The registers log JSON lines through logback's console appender, which writes to
        // whatever System.out is at each line: a tee on it sees every line.
        List<String> lines = new ArrayList<>();
        PrintStream original = System.out;
        StringBuilder current = new StringBuilder();
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public synchronized void write(int b) {
                original.write(b);
                if (b == '\n') {
                    synchronized (lines) {
                        lines.add(current.toString());
                    }
                    current.setLength(0);
                } else {
                    current.append((char) b);
                }
            }
        }, true, StandardCharsets.UTF_8));
        MockRegisters.start(vertx, MockOptions.defaults().withCanonicalDialect().withChildrenPerRegister(60).withOnly("bradford", 0))
                .compose(f -> {
                    ChildRecord child = f.register("bradford").records().get(0);
                    CanonicalJsonConnector c = RawHttp.connector(vertx, f.register("bradford"));
                    return c.search(RawHttp.request(new SearchCriteria(child.givenName(), child.familyName(), null, null,
                                    child.dateOfBirth(), null, null), Set.of("givenName"), 2000))
                            .compose(found -> c.close())
                            .compose(v -> f.close())
                            .map(f);
                })
                .onComplete(ctx.succeeding(f -> ctx.verify(() -> {
                    System.setOut(original);
                    assertTrue(lines.stream().anyMatch(l -> l.contains("register bradford listening")),
                            "start is logged: " + lines);
                    assertTrue(lines.stream().anyMatch(l -> l.contains("register bradford stopping")),
                            "stop is logged: " + lines);
                    for (ChildRecord r : f.population().records("bradford")) {
                        for (String line : lines) {
                            assertFalse(line.contains(r.givenName() + " ") || line.contains(" " + r.familyName())
                                    || line.contains(r.dateOfBirth().toString()) || line.contains(r.postcode()), line);
                        }
                    }
                    ctx.completeNow();
                })));
    }
}
