package uk.wycps.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.record.SearchCriteria;
import uk.wycps.connector.canonicaljson.CanonicalJsonConnector;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.RecordJson;

/**
 * Every fault mode of API.md is observable by the gateway's connector (O1), and each is a
 * failure, never an empty answer (F5: unknown is not "no record").
 */
@ExtendWith(VertxExtension.class)
class FaultInjectionTest {

    private static final String NOBODY = "{\"criteria\":{\"familyName\":\"Zzyzxqj\"},\"fields\":[\"recordId\"]}";
    private static MockFederation federation;
    private static MockRegister register;
    private static RawHttp http;
    private CanonicalJsonConnector connector;
    private SearchCriteria known;

    @BeforeAll
    static void start(Vertx vertx, VertxTestContext ctx) {
        http = new RawHttp(vertx);
        MockRegisters.start(vertx, MockOptions.defaults().withCanonicalDialect().withChildrenPerRegister(200).withOnly("calderdale", 0))
                .onComplete(ctx.succeeding(f -> {
                    federation = f;
                    register = f.register("calderdale");
                    ctx.completeNow();
                }));
    }

    @AfterAll
    static void stop(VertxTestContext ctx) {
        federation.close().compose(v -> http.close()).onComplete(ctx.succeedingThenComplete());
    }

    @BeforeEach
    void connect(Vertx vertx) {
        register.clearFaults();
        connector = RawHttp.connector(vertx, register);
        ChildRecord child = register.records().get(42);
        known = new SearchCriteria(child.givenName(), child.familyName(), null, null, child.dateOfBirth(), null, null);
    }

    @AfterEach
    void disconnect() {
        register.clearFaults();
        connector.close();
    }

    private Future<List<ChildRecord>> search(long deadlineMs) {
        return connector.search(RawHttp.request(known, Set.of("givenName"), deadlineMs));
    }

    private static void assertFailure(Throwable err, RegisterFailure.Kind kind) {
        RegisterFailure failure = assertInstanceOf(RegisterFailure.class, err);
        assertEquals(kind, failure.kind(), failure.getMessage());
    }

    /** Verifies that without faults the known child is found (the baseline of the other tests). */
    @Test
    void withoutFaultsTheSearchSucceeds(VertxTestContext ctx) {
        search(2000).onComplete(ctx.succeeding(found -> ctx.verify(() -> {
            assertTrue(found.size() >= 1);
            ctx.completeNow();
        })));
    }

    /** Verifies that in hang mode the register accepts and never answers: the connector times out. */
    @Test
    void hangMakesTheConnectorTimeOut(VertxTestContext ctx) {
        register.setFaults(FaultSettings.mode(FaultMode.HANG));
        long t0 = System.nanoTime();
        search(300).onComplete(ctx.failing(err -> ctx.verify(() -> {
            assertFailure(err, RegisterFailure.Kind.TIMEOUT);
            assertTrue((System.nanoTime() - t0) / 1_000_000 >= 290);
            ctx.completeNow();
        })));
    }

    /** Verifies that in reset mode the connection is closed: the register is unavailable, not empty. */
    @Test
    void resetIsAConnectionFailure(VertxTestContext ctx) {
        register.setFaults(FaultSettings.mode(FaultMode.RESET));
        search(2000).onComplete(ctx.failing(err -> ctx.verify(() -> {
            assertFailure(err, RegisterFailure.Kind.UNAVAILABLE);
            ctx.completeNow();
        })));
    }

    /** Verifies that error mode answers HTTP 500 with a JSON error, which the connector reports as ERROR. */
    @Test
    void errorModeAnswers500(VertxTestContext ctx) {
        register.setFaults(FaultSettings.mode(FaultMode.ERROR));
        http.send(register, HttpMethod.POST, "/search", NOBODY)
                .compose(a -> {
                    ctx.verify(() -> {
                        assertEquals(500, a.status());
                        assertEquals("injected-fault", a.json().getString("error"));
                    });
                    return search(2000);
                })
                .onComplete(ctx.failing(err -> ctx.verify(() -> {
                    assertFailure(err, RegisterFailure.Kind.ERROR);
                    ctx.completeNow();
                })));
    }

    /** Verifies that an error rate of 1.0 turns every answer into a 500, and 0.0 none. */
    @Test
    void errorRateTurnsThatShareOfAnswersInto500s(VertxTestContext ctx) {
        register.setFaults(new FaultSettings(0, 0, 1.0, FaultMode.NONE));
        Future.all(http.send(register, HttpMethod.POST, "/search", NOBODY),
                        http.send(register, HttpMethod.POST, "/search", NOBODY))
                .compose(all -> {
                    ctx.verify(() -> {
                        assertEquals(500, ((RawHttp.Answer) all.resultAt(0)).status());
                        assertEquals(500, ((RawHttp.Answer) all.resultAt(1)).status());
                    });
                    register.setFaults(new FaultSettings(0, 0, 0.0, FaultMode.NONE));
                    return http.send(register, HttpMethod.POST, "/search", NOBODY);
                })
                .onComplete(ctx.succeeding(a -> ctx.verify(() -> {
                    assertEquals(200, a.status());
                    ctx.completeNow();
                })));
    }

    /** Verifies that malformed mode sends 200 JSON that does not parse, which the connector refuses. */
    @Test
    void malformedBodyIsRefusedByTheConnector(VertxTestContext ctx) {
        register.setFaults(FaultSettings.mode(FaultMode.MALFORMED));
        http.send(register, HttpMethod.POST, "/search", NOBODY)
                .compose(a -> {
                    ctx.verify(() -> {
                        assertEquals(200, a.status());
                        assertTrue(a.contentType().startsWith("application/json"));
                        ObjectMapper mapper = RecordJson.mapper();
                        assertThrows(Exception.class, () -> mapper.readTree(a.body().getBytes()));
                    });
                    return search(2000);
                })
                .onComplete(ctx.failing(err -> ctx.verify(() -> {
                    assertFailure(err, RegisterFailure.Kind.ERROR);
                    ctx.completeNow();
                })));
    }

    /** Verifies that wrong-content-type sends the right body as text/html, which the connector refuses. */
    @Test
    void wrongContentTypeIsRefusedByTheConnector(VertxTestContext ctx) {
        register.setFaults(FaultSettings.mode(FaultMode.WRONG_CONTENT_TYPE));
        http.send(register, HttpMethod.POST, "/search", NOBODY)
                .compose(a -> {
                    ctx.verify(() -> {
                        assertEquals(200, a.status());
                        assertTrue(a.contentType().startsWith("text/html"));
                        assertEquals(new JsonObject().put("records", List.of()), a.json());
                    });
                    return search(2000);
                })
                .onComplete(ctx.failing(err -> ctx.verify(() -> {
                    assertFailure(err, RegisterFailure.Kind.ERROR);
                    assertTrue(err.getMessage().contains("content type"));
                    ctx.completeNow();
                })));
    }

    /** Verifies that drip sends the correct body one byte at a time, so a short deadline expires. */
    @Test
    void dripSendsOneByteAtATime(VertxTestContext ctx) {
        register.setFaults(FaultSettings.mode(FaultMode.DRIP));
        long t0 = System.nanoTime();
        http.send(register, HttpMethod.POST, "/search", NOBODY)
                .compose(a -> {
                    ctx.verify(() -> {
                        String body = "{\"records\":[]}";
                        assertEquals(200, a.status());
                        assertEquals(body, a.body().toString());
                        assertEquals(body.length(), a.chunks().size(), "one chunk per byte");
                        assertTrue((System.nanoTime() - t0) / 1_000_000 >= (body.length() - 1) * RegisterVerticle.DRIP_INTERVAL_MS);
                    });
                    return search(300);
                })
                .onComplete(ctx.failing(err -> ctx.verify(() -> {
                    assertFailure(err, RegisterFailure.Kind.TIMEOUT);
                    ctx.completeNow();
                })));
    }

    /** Verifies that latency delays the answer, which still arrives whole. */
    @Test
    void latencyDelaysEveryAnswer(VertxTestContext ctx) {
        register.setFaults(new FaultSettings(250, 50, 0.0, FaultMode.NONE));
        long t0 = System.nanoTime();
        search(2000).compose(found -> {
                    ctx.verify(() -> assertTrue((System.nanoTime() - t0) / 1_000_000 >= 250));
                    return search(100);
                })
                .onComplete(ctx.failing(err -> ctx.verify(() -> {
                    assertFailure(err, RegisterFailure.Kind.TIMEOUT);
                    ctx.completeNow();
                })));
    }

    /** Verifies that faults apply to the enquiry-history endpoint too. */
    @Test
    void faultsApplyToRecords(VertxTestContext ctx) {
        register.setFaults(FaultSettings.mode(FaultMode.ERROR));
        String recordId = register.records().get(0).recordId();
        http.send(register, HttpMethod.PUT, "/records/" + recordId + "/enquiries/e-fault", "{\"entryId\":\"e-fault\"}")
                .onComplete(ctx.succeeding(a -> ctx.verify(() -> {
                    assertEquals(500, a.status());
                    assertTrue(register.enquiryHistory(recordId).isEmpty());
                    ctx.completeNow();
                })));
    }

    /**
     * Verifies that the admin API is never subject to the faults (a hanging register can still be
     * healed). Every faulted request waits ten minutes and then hangs, so the admin calls answer
     * only if the faults pass them by; in between, a search shows the faults are in force (it
     * times out), and once they are cleared a search is answered.
     */
    @Test
    void adminIsNotSubjectToFaults(VertxTestContext ctx) {
        register.setFaults(new FaultSettings(FaultSettings.MAX_DELAY_MS, 0, 1.0, FaultMode.HANG));
        http.send(register, HttpMethod.GET, "/admin/faults", null)
                .compose(a -> {
                    ctx.verify(() -> {
                        assertEquals(200, a.status());
                        assertEquals("hang", a.json().getString("mode"));
                    });
                    return search(300).transform(ar -> Future.<io.vertx.core.AsyncResult<List<ChildRecord>>>succeededFuture(ar));
                })
                .compose(held -> {
                    ctx.verify(() -> {
                        assertTrue(held.failed(), "the faults hold a search");
                        assertFailure(held.cause(), RegisterFailure.Kind.TIMEOUT);
                    });
                    return http.send(register, HttpMethod.DELETE, "/admin/faults", null);
                })
                .compose(a -> search(2000))
                .onComplete(ctx.succeeding(found -> ctx.verify(() -> {
                    assertEquals(FaultSettings.NONE, register.faults());
                    assertTrue(found.size() >= 1);
                    ctx.completeNow();
                })));
    }

    /** Verifies PUT, GET and DELETE of /admin/faults with the API.md shape. */
    @Test
    void adminPutGetDelete(VertxTestContext ctx) {
        String body = "{\"latencyMs\":120,\"jitterMs\":30,\"errorRate\":0.25,\"mode\":\"wrong-content-type\"}";
        http.send(register, HttpMethod.PUT, "/admin/faults", body)
                .compose(put -> {
                    ctx.verify(() -> assertEquals(200, put.status()));
                    return http.send(register, HttpMethod.GET, "/admin/faults", null);
                })
                .compose(get -> {
                    ctx.verify(() -> {
                        assertEquals(new JsonObject(body), get.json());
                        assertEquals(new FaultSettings(120, 30, 0.25, FaultMode.WRONG_CONTENT_TYPE), register.faults());
                    });
                    return http.send(register, HttpMethod.DELETE, "/admin/faults", null);
                })
                .compose(del -> http.send(register, HttpMethod.GET, "/admin/faults", null))
                .onComplete(ctx.succeeding(get -> ctx.verify(() -> {
                    assertEquals(FaultSettings.NONE.toJson(), get.json());
                    ctx.completeNow();
                })));
    }

    /** Verifies that bad admin input is a 400 naming the field, and changes nothing. */
    @Test
    void badAdminInputIs400(VertxTestContext ctx) {
        register.setFaults(FaultSettings.latency(7));
        Map<String, String> bad = Map.of(
                "{\"mode\":\"explode\"}", "mode",
                "{\"latencyMs\":-1}", "latencyMs",
                "{\"jitterMs\":600001}", "jitterMs",
                "{\"errorRate\":1.5}", "errorRate",
                "{\"errorRate\":\"half\"}", "errorRate",
                "{\"latencyMs\":\"100\"}", "latencyMs",
                "{\"latencyMs\":1.5}", "latencyMs",
                "{\"mode\":\"none\",\"colour\":\"red\"}", "colour",
                "{\"mode\":7}", "mode");
        List<String> bodies = List.copyOf(bad.keySet());
        List<Future<RawHttp.Answer>> answers = bodies.stream()
                .map(b -> http.send(register, HttpMethod.PUT, "/admin/faults", b)).toList();
        Future.all(answers)
                .compose(all -> Future.all(http.send(register, HttpMethod.PUT, "/admin/faults", "not json"),
                        http.send(register, HttpMethod.PUT, "/admin/faults", "[1]")))
                .onComplete(ctx.succeeding(notJson -> ctx.verify(() -> {
                    for (int i = 0; i < bodies.size(); i++) {
                        RawHttp.Answer a = answers.get(i).result();
                        assertEquals(400, a.status(), bodies.get(i));
                        assertEquals(bad.get(bodies.get(i)), a.json().getString("field"), bodies.get(i));
                    }
                    assertEquals(400, ((RawHttp.Answer) notJson.resultAt(0)).status());
                    assertEquals(400, ((RawHttp.Answer) notJson.resultAt(1)).status());
                    assertEquals(FaultSettings.latency(7), register.faults(), "nothing changed");
                    ctx.completeNow();
                })));
    }

    /** Verifies that faults can be set at start-up (the jar's flags use this). */
    @Test
    void initialFaultsApplyFromStart(Vertx vertx, VertxTestContext ctx) {
        MockRegisters.start(vertx, MockOptions.defaults().withCanonicalDialect().withChildrenPerRegister(50).withOnly("leeds", 0)
                        .withFaults(FaultSettings.mode(FaultMode.ERROR)))
                .compose(f -> http.send(f.register("leeds"), HttpMethod.POST, "/search", NOBODY)
                        .compose(a -> f.close().map(a)))
                .onComplete(ctx.succeeding(a -> ctx.verify(() -> {
                    assertEquals(500, a.status());
                    ctx.completeNow();
                })));
    }
}
