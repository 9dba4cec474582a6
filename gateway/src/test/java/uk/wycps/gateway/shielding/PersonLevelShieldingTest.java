package uk.wycps.gateway.shielding;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.config.DemoContacts;
import uk.wycps.gateway.fanout.WireMockRegisters;
import uk.wycps.gateway.support.GatewayHarness;

/**
 * The person-level shielding rule (A10) over real HTTP: Leeds holds a shielded record of a
 * child, Bradford an unshielded record of the same child at its earlier address. The gateway
 * takes the rule answer-wide: a record it did not link but that came back for the same enquiry
 * is treated as possibly the same child. A Kirklees caller
 * gets no address from either, whatever its grants; a Bradford caller only Bradford's own; Leeds'
 * goes only to the Leeds tier the policy names (SENSITIVE social services). And whom to call
 * (F6): every register holding a record in the answer, and every WITHHELD one, carries its
 * contact, a WITHHELD one the same with and without a match (A9).
 */
@ExtendWith(VertxExtension.class)
class PersonLevelShieldingTest {

    static final String LEEDS_LINE = "7 Refuge Row";
    static final String LEEDS_POSTCODE = "LS9 8QQ";
    static final String BRADFORD_LINE = "21 Mill Lane";
    static final String BRADFORD_POSTCODE = "BD7 1DP";
    static final List<String> ADDRESS_TEXT = List.of(LEEDS_LINE, LEEDS_POSTCODE, BRADFORD_LINE, BRADFORD_POSTCODE);

    private static WireMockRegisters registers;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start(Vertx vertx) throws Exception {
        registers = new WireMockRegisters(false);
        gateway = GatewayHarness.start(vertx, registers.settingsAll(2000, new JsonObject()), new InMemoryAuditSink())
                .await(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close().await(30, TimeUnit.SECONDS);
        registers.close();
    }

    static JsonObject address(String line, String postcode, String authority) {
        return new JsonObject().put("line1", line).put("town", authority.equals("leeds") ? "Leeds" : "Bradford")
                .put("postcode", postcode).put("authority", authority);
    }

    /** The child fled Bradford for a refuge in Leeds: Leeds knows both addresses, and shields its record. */
    static JsonObject leedsRecord() {
        return WireMockRegisters.record("leeds").put("shielded", true)
                .put("address", address(LEEDS_LINE, LEEDS_POSTCODE, "leeds"))
                .put("addressHistory", new JsonArray()
                        .add(new JsonObject().put("address", address(BRADFORD_LINE, BRADFORD_POSTCODE, "bradford"))
                                .put("from", "2016-03-09").put("to", "2025-06-01"))
                        .add(new JsonObject().put("address", address(LEEDS_LINE, LEEDS_POSTCODE, "leeds"))
                                .put("from", "2025-06-01")));
    }

    static JsonObject bradfordRecord() {
        return WireMockRegisters.record("bradford")
                .put("address", address(BRADFORD_LINE, BRADFORD_POSTCODE, "bradford"))
                .put("addressHistory", new JsonArray().add(new JsonObject()
                        .put("address", address(BRADFORD_LINE, BRADFORD_POSTCODE, "bradford")).put("from", "2016-03-09")));
    }

    static void answer(String authority, JsonObject... records) {
        registers.fault(authority, WireMockRegisters.search().willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(new JsonObject().put("records", new JsonArray(List.of((Object[]) records))).encode())));
    }

    @BeforeEach
    void holdings() {
        answer("leeds", leedsRecord());
        answer("bradford", bradfordRecord());
        answer("calderdale");
        answer("kirklees");
        answer("wakefield");
    }

    static JsonObject enquire(String token, String postcode) throws Exception {
        JsonObject body = GatewayHarness.enquiry(WireMockRegisters.GIVEN, WireMockRegisters.FAMILY, WireMockRegisters.DOB);
        if (postcode != null) {
            body.getJsonObject("subject").put("postcode", postcode);
        }
        HttpResponse<Buffer> r = gateway.enquire(token, body).await(30, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject();
    }

    static JsonObject record(JsonObject answer, String authority) {
        for (Object p : answer.getJsonArray("persons")) {
            for (Object r : ((JsonObject) p).getJsonArray("records")) {
                if (authority.equals(((JsonObject) r).getString("authority"))) {
                    return (JsonObject) r;
                }
            }
        }
        return null;
    }

    static JsonObject register(JsonObject answer, String authority) {
        return answer.getJsonArray("registers").stream().map(o -> (JsonObject) o)
                .filter(o -> authority.equals(o.getString("authority"))).findFirst().orElseThrow();
    }

    static boolean hasLocation(JsonObject record) {
        JsonObject data = record.getJsonObject("data");
        return data.containsKey("address") || data.containsKey("addressHistory");
    }

    /** The Leeds and Bradford records are one person in the answer, so the person-level rule is what is tested. */
    static void linked(JsonObject answer) {
        JsonArray persons = answer.getJsonArray("persons");
        assertEquals(1, persons.size(), answer.encodePrettily());
        assertEquals(2, persons.getJsonObject(0).getJsonArray("records").size(), answer.encodePrettily());
    }

    @Test
    void aKirkleesCallerGetsNoAddressFromEitherRecordWhateverItsGrants() throws Exception {
        for (String[] who : new String[][] {{"child-worker", "social-services"}, {"cp-coordinator", "social-services"},
                {"child-worker", "police"}}) {
            String token = gateway.issuer.token(who[0], who[1], "kirklees", "cross-authority:*", "schedule-one");
            JsonObject answer = enquire(token, null);
            linked(answer);
            JsonObject leeds = record(answer, "leeds");
            JsonObject bradford = record(answer, "bradford");
            assertFalse(hasLocation(leeds), answer.encodePrettily());
            assertFalse(hasLocation(bradford), answer.encodePrettily());
            assertEquals(Boolean.TRUE, leeds.getBoolean("shielded"));
            assertEquals(Boolean.TRUE, leeds.getJsonObject("data").getBoolean("shielded"));
            assertNull(bradford.getValue("shielded"), "only the record its owner shields is marked");
            assertTrue(leeds.getJsonArray("withheld").contains("address"));
            assertTrue(leeds.getJsonArray("withheld").contains("addressHistory"));
            assertTrue(bradford.getJsonArray("withheld").contains("address"));
            assertTrue(leeds.getString("notice").contains("must go through Leeds"), leeds.getString("notice"));
            assertTrue(bradford.getString("notice").contains("shielded by Leeds"), bradford.getString("notice"));
            assertTrue(bradford.getString("notice").contains("must go through Leeds"), bradford.getString("notice"));
            for (String text : ADDRESS_TEXT) {
                assertFalse(answer.encode().contains(text), who[0] + "/" + who[1] + " received " + text);
            }
        }
    }

    @Test
    void aBradfordCallerSeesOnlyBradfordsOwnAddress() throws Exception {
        String token = gateway.issuer.token("child-worker", "social-services", "bradford", "cross-authority:leeds");
        JsonObject answer = enquire(token, null);
        linked(answer);
        assertTrue(hasLocation(record(answer, "bradford")), answer.encodePrettily());
        assertEquals(BRADFORD_POSTCODE, record(answer, "bradford").getJsonObject("data").getJsonObject("address")
                .getString("postcode"));
        assertFalse(hasLocation(record(answer, "leeds")));
        assertFalse(answer.encode().contains(LEEDS_POSTCODE));
        assertFalse(answer.encode().contains(LEEDS_LINE));
    }

    @Test
    void leedsAddressGoesOnlyToTheLeedsTierThePolicyNames() throws Exception {
        // SENSITIVE social services of Leeds: Leeds' address, not Bradford's (outside their authority)
        JsonObject worker = enquire(gateway.issuer.token("child-worker", "social-services", "leeds",
                "cross-authority:bradford"), null);
        linked(worker);
        assertEquals(LEEDS_POSTCODE, record(worker, "leeds").getJsonObject("data").getJsonObject("address")
                .getString("postcode"));
        assertFalse(hasLocation(record(worker, "bradford")));
        // (Bradford's address is in Leeds' own history: what Leeds holds, as Leeds could see by hand)
        assertEquals(Boolean.TRUE, record(worker, "leeds").getBoolean("shielded"));
        assertTrue(record(worker, "leeds").getString("notice").contains("never released outside Leeds"));
        // PERSONAL roles of Leeds social services: that the child is known, not where
        for (String role : List.of("admin-staff", "referrer", "senior-manager")) {
            JsonObject answer = enquire(gateway.issuer.token(role, "social-services", "leeds",
                    "cross-authority:bradford"), null);
            linked(answer);
            assertFalse(hasLocation(record(answer, "leeds")), role);
            assertFalse(hasLocation(record(answer, "bradford")), role);
            for (String text : ADDRESS_TEXT) {
                assertFalse(answer.encode().contains(text), role + " received " + text);
            }
        }
    }

    @Test
    void aBradfordRecordLeftUnlinkedGivesNoAddressEitherWhenTheAnswerHoldsAShieldedRecord() throws Exception {
        // GIVEN Leeds's shielded record says male where Bradford's says female, so the two are
        // not linked (a shielded record's place takes no part in linking: A10)
        answer("leeds", WireMockRegisters.record("leeds").put("shielded", true).put("gender", "male")
                .put("address", address(LEEDS_LINE, LEEDS_POSTCODE, "leeds")));
        JsonObject answer = enquire(gateway.issuer.token("child-worker", "social-services", "kirklees",
                "cross-authority:*"), null);
        assertEquals(2, answer.getJsonArray("persons").size(), answer.encodePrettily());
        // THEN Bradford's record, which may be the same child, gives no address to Kirklees
        assertFalse(hasLocation(record(answer, "bradford")), answer.encodePrettily());
        assertFalse(hasLocation(record(answer, "leeds")));
        for (String text : ADDRESS_TEXT) {
            assertFalse(answer.encode().contains(text), text);
        }
    }

    @Test
    void theCallersPostcodeMovesNoScoreBandOrExplanationWhenAShieldedRecordIsAmongTheCandidates() throws Exception {
        String token = gateway.issuer.token("child-worker", "social-services", "kirklees", "cross-authority:*");
        JsonObject right = enquire(token, LEEDS_POSTCODE);
        JsonObject wrong = enquire(token, "HX1 1AA");
        JsonObject none = enquire(token, null);
        assertEquals(none.getJsonArray("persons"), right.getJsonArray("persons"));
        assertEquals(none.getJsonArray("persons"), wrong.getJsonArray("persons"));
        for (Object e : right.getJsonArray("persons").getJsonObject(0).getJsonArray("explanation")) {
            String field = ((JsonObject) e).getString("field");
            assertFalse(List.of("postcode", "address", "town").contains(field), field);
        }
    }

    @Test
    void everyAnswerNamesWhomToCallForEachRegisterHoldingARecordOrWithheld() throws Exception {
        Map<String, ?> contacts = DemoContacts.all();
        JsonObject answer = enquire(gateway.issuer.token("child-worker", "social-services", "kirklees",
                "cross-authority:leeds", "cross-authority:bradford"), null);
        for (String a : List.of("leeds", "bradford", "calderdale", "wakefield")) {
            JsonObject contact = register(answer, a).getJsonObject("contact");
            assertNotNull(contact, a + " " + answer.encodePrettily());
            assertEquals(new JsonObject(io.vertx.core.json.Json.encode(contacts.get(a))), contact);
        }
        // Kirklees was checked and holds nothing: no one to call there about this child
        assertNull(register(answer, "kirklees").getValue("contact"));
        assertEquals("OK", register(answer, "kirklees").getString("status"));
    }

    @Test
    void aWithheldRegistersEntryAndContactAreTheSameWithAndWithoutAMatch() throws Exception {
        String token = gateway.issuer.token("child-worker", "social-services", "kirklees");
        JsonObject withMatch = enquire(token, null);
        answer("leeds");
        answer("bradford");
        JsonObject withoutMatch = enquire(token, null);
        for (String a : List.of("bradford", "calderdale", "leeds", "wakefield")) {
            JsonObject entry = register(withMatch, a);
            assertEquals("WITHHELD", entry.getString("status"));
            assertNotNull(entry.getJsonObject("contact"), a);
            assertEquals(entry, register(withoutMatch, a), a);
        }
    }

    @Test
    void explainSaysWhatAShieldedRecordWouldReleaseAndWhy() throws Exception {
        JsonObject body = new JsonObject()
                .put("purpose", new JsonObject().put("code", "register-check").put("justification", "explain"))
                .put("consent", new JsonObject().put("status", "not-sought").put("ground", "authorised-register-check"))
                .put("registers", new JsonArray().add("leeds"));
        HttpResponse<Buffer> kirklees = gateway.client.post("/api/v1/policy/explain")
                .bearerTokenAuthentication(gateway.issuer.token("child-worker", "social-services", "kirklees",
                        "cross-authority:*"))
                .sendJsonObject(body).await(30, TimeUnit.SECONDS);
        assertEquals(200, kirklees.statusCode(), kirklees.bodyAsString());
        JsonObject leeds = kirklees.bodyAsJsonObject().getJsonArray("registers").getJsonObject(0);
        assertTrue(leeds.getJsonArray("allowedFields").contains("address"), "an ordinary Leeds record: granted");
        for (String set : List.of("ifShielded", "ifLinkedToShielded")) {
            assertFalse(leeds.getJsonObject(set).getJsonArray("allowedFields").contains("address"), set);
            assertFalse(leeds.getJsonObject(set).getJsonArray("allowedFields").contains("addressHistory"), set);
            assertTrue(leeds.getJsonObject(set).getJsonArray("withheldFields").contains("address"), set);
        }
        assertTrue(leeds.getJsonArray("reasons").stream().map(o -> (JsonObject) o)
                .anyMatch(r -> "shielding".equals(r.getString("rule")) && "A10".equals(r.getString("requirement"))),
                leeds.encodePrettily());
        HttpResponse<Buffer> own = gateway.client.post("/api/v1/policy/explain")
                .bearerTokenAuthentication(gateway.issuer.token("child-worker", "social-services", "leeds"))
                .sendJsonObject(body).await(30, TimeUnit.SECONDS);
        JsonObject leedsOwn = own.bodyAsJsonObject().getJsonArray("registers").getJsonObject(0);
        assertTrue(leedsOwn.getJsonObject("ifShielded").getJsonArray("allowedFields").contains("address"));
    }

    @Test
    void theOwnersAuditViewMarksAnAccessToItsShieldedRecord() throws Exception {
        enquire(gateway.issuer.token("child-worker", "social-services", "kirklees", "cross-authority:*"), null);
        HttpResponse<Buffer> r = gateway.client.get("/api/v1/audit")
                .bearerTokenAuthentication(gateway.issuer.token("cp-coordinator", "social-services", "leeds"))
                .send().await(30, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        boolean marked = false;
        for (Object e : r.bodyAsJsonObject().getJsonArray("entries")) {
            for (Object ref : ((JsonObject) e).getJsonArray("released", new JsonArray())) {
                JsonObject released = (JsonObject) ref;
                if ("leeds".equals(released.getString("authority"))) {
                    assertEquals(Boolean.TRUE, released.getBoolean("shielded"), released.encode());
                    marked = true;
                }
            }
        }
        assertTrue(marked, r.bodyAsString());
        for (String text : ADDRESS_TEXT) {
            assertFalse(r.bodyAsString().contains(text));
        }
    }

    /**
     * Verifies that a shielded record that is not shown changes nothing in the answer (A10):
     * a shielded near miss among Bradford's candidates (the same family name, another child)
     * stripped the caller's postcode from the scoring, so the child's band, score and
     * explanation ("postcode: missing" though typed) moved with a record the caller never sees.
     */
    @Test
    void aShieldedCandidateThatIsNotShownLeavesTheAnswerAsItWouldBeWithoutIt() throws Exception {
        String token = gateway.issuer.token("child-worker", "social-services", "bradford");
        answer("leeds");
        answer("bradford", bradfordRecord());
        JsonObject without = enquire(token, BRADFORD_POSTCODE);
        JsonObject nearMiss = WireMockRegisters.record("bradford").put("recordId", "BR-NEAR").put("givenName", "Zainab")
                .put("dateOfBirth", "2009-11-30").put("gender", "female").put("shielded", true)
                .put("address", address("3 Other Street", "BD3 9ZZ", "bradford"));
        answer("bradford", bradfordRecord(), nearMiss);
        JsonObject with = enquire(token, BRADFORD_POSTCODE);
        assertEquals(without.getJsonArray("persons"), with.getJsonArray("persons"), with.encodePrettily());
        assertEquals(without.getString("outcome"), with.getString("outcome"));
        assertTrue(with.encode().contains("\"field\":\"postcode\""), "the typed postcode is compared: " + with.encode());
        assertFalse(with.encode().contains("BR-NEAR"), "the near miss is not shown");
    }

    /**
     * Verifies that, beside a shielded record, how the other records are grouped into persons
     * does not depend on addresses the caller does not receive (A10): Bradford's and Wakefield's
     * records of the child, addresses withheld from a Kirklees caller, were linked on those
     * addresses inside the gateway, so one person or two told the caller whether Wakefield's
     * address was Bradford's.
     */
    @Test
    void besideAShieldedRecordTheGroupingDependsOnNoAddressTheCallerDoesNotReceive() throws Exception {
        String token = gateway.issuer.token("child-worker", "social-services", "kirklees", "cross-authority:*");
        JsonObject sameAddress = WireMockRegisters.record("wakefield")
                .put("address", address(BRADFORD_LINE, BRADFORD_POSTCODE, "bradford"));
        JsonObject otherAddress = WireMockRegisters.record("wakefield")
                .put("address", new JsonObject().put("line1", "9 Far Lane").put("town", "Wakefield").put("postcode", "WF1 9ZZ")
                        .put("authority", "wakefield"));
        answer("wakefield", sameAddress);
        JsonObject together = enquire(token, null);
        answer("wakefield", otherAddress);
        JsonObject apart = enquire(token, null);
        assertNotNull(record(together, "leeds"), "the shielded record is shown: " + together.encodePrettily());
        assertNull(record(together, "wakefield").getJsonObject("data").getValue("address"));
        assertEquals(together.getJsonArray("persons"), apart.getJsonArray("persons"), apart.encodePrettily());
        assertEquals(together.getValue("moreDetail"), apart.getValue("moreDetail"));
    }
}
