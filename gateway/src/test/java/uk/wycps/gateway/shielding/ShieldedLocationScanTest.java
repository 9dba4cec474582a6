package uk.wycps.gateway.shielding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.support.FederationHarness;
import uk.wycps.gateway.support.GatewayHarness;
import uk.wycps.gateway.support.LocationTexts;
import uk.wycps.mock.GroundTruth;
import uk.wycps.record.ChildRecord;

/**
 * The scan of A10 over real HTTP and the five mock registers in their own dialects: every caller
 * kind of the policy (role x agency x home authority, or none x grants) enquires about every
 * shielded child of the mock federation, asks explain about the registers that hold that
 * child, then reads the audit view and statistics. Zero location fields of a shielded child may
 * reach a caller outside its owning authority (the console's pass is in
 * ConsoleJourneyBrowserTest).
 *
 * <p>The oracle is the rule as docs/policy.md words it, written out here: a shielded record's
 * location goes only to its own authority's social services at SENSITIVE; when an answer holds
 * a shielded record, any other record's location goes only to its own authority's social
 * services; a grant never opens a location. Besides each record's fields, every body is
 * searched for each first line and postcode of the shielded record's current address and
 * address history on its own ({@link LocationTexts}); the only ones excused are those that a
 * record the caller may see holds too (its own register's record of the child's earlier home,
 * or a record of a register whose shielded match the caller was not told of: docs/policy.md,
 * "What it cannot do").
 */
@ExtendWith(VertxExtension.class)
class ShieldedLocationScanTest {

    static final List<String> ROLES = List.of("cp-coordinator", "senior-manager", "admin-staff", "manager-child-workers",
            "child-worker", "perpetrator-worker", "referrer", "conference-chair", "performance-quality");
    static final Set<String> SENSITIVE_ROLES = Set.of("cp-coordinator", "manager-child-workers", "child-worker",
            "perpetrator-worker", "conference-chair");
    static final List<String> AGENCIES = List.of("social-services", "police", "health", "education", "other");
    static final List<String> HOMES = new ArrayList<>(List.of("bradford", "calderdale", "kirklees", "leeds", "wakefield"));

    static {
        HOMES.add(null);
    }

    private static FederationHarness federation;
    private static List<Shielded> children;
    private static Set<String> shieldedIds;

    /**
     * A shielded record: where it is held, how to find it, the first lines and postcodes of its
     * current and earlier addresses, and the registers that hold the same child.
     */
    record Shielded(String authority, String recordId, ChildRecord record, Set<String> location,
            List<String> registers) {
    }

    record Caller(String role, String agency, String home, List<String> grants) {
        boolean inside(String authority) {
            return authority.equals(home) && agency.equals("social-services");
        }

        boolean sensitive() {
            return SENSITIVE_ROLES.contains(role);
        }

        String token(GatewayHarness g) {
            return g.issuer.token(role, agency, home, grants.toArray(String[]::new));
        }
    }

    @BeforeAll
    static void start(Vertx vertx) throws Exception {
        federation = FederationHarness.start(vertx, new InMemoryAuditSink()).await(120, TimeUnit.SECONDS);
        GroundTruth truth = federation.mocks.groundTruth();
        children = new ArrayList<>();
        shieldedIds = new HashSet<>();
        for (GroundTruth.RecordRef ref : truth.shieldedRecords()) {
            ChildRecord r = federation.mocks.register(ref.authority()).record(ref.recordId()).orElseThrow();
            List<String> registers = truth.personOf(ref.authority(), ref.recordId()).records().stream()
                    .map(GroundTruth.RecordRef::authority).distinct().sorted().toList();
            children.add(new Shielded(ref.authority(), ref.recordId(), r, LocationTexts.of(r), registers));
            shieldedIds.add(ref.authority() + "/" + ref.recordId());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        federation.close().await(60, TimeUnit.SECONDS);
    }

    /**
     * Every caller kind (role x agency x home authority x grants) when {@code -Dshielding.scan=full}
     * (about a thousand a child); otherwise every role x agency with the home and grants rotated so
     * that, over one child's callers, every home and grant set is met several times, and every
     * caller of the owning authority's social services in full (the ones the rule lets in). The
     * full run takes minutes on two cores; the rotation keeps what can leak covered in seconds.
     */
    static List<Caller> callers(String owner) {
        boolean full = "full".equals(System.getProperty("shielding.scan"));
        List<List<String>> grantSets = List.of(List.<String>of(), List.of("cross-authority:*", "schedule-one"),
                List.of("cross-authority:" + owner));
        List<Caller> out = new ArrayList<>();
        int pair = 0;
        for (String role : ROLES) {
            for (String agency : AGENCIES) {
                int combo = 0;
                for (String home : HOMES) {
                    for (List<String> grants : grantSets) {
                        Caller c = new Caller(role, agency, home, grants);
                        // Two of the eighteen home x grants combinations per role x agency pair,
                        // a different two for the next pair: each combination about seven times.
                        if (full || c.inside(owner) || combo % 9 == pair % 9) {
                            out.add(c);
                        }
                        combo++;
                    }
                }
                pair++;
            }
        }
        return out;
    }

    /** Counts kept by the scan, for its report and to show it looked at something. */
    static final class Tally {
        int enquiries;
        int answersWithAShieldedRecord;
        int recordViewsChecked;
        int locationsReleasedInside;
        int locationTextsFoundInside;
        int explained;
        int explainedLocationsInside;
        final List<String> leaks = new ArrayList<>();
    }

    @Test
    void noLocationOfAShieldedChildReachesAnyCallerOutsideItsOwningAuthority() throws Exception {
        assertTrue(children.size() >= 2, "the mock federation shields some children: " + children.size());
        assertTrue(children.stream().anyMatch(c -> federation.mocks.groundTruth().personOf(c.authority(), c.recordId())
                .crossesRegisters()), "and one of them is held by other registers too");
        Tally tally = new Tally();
        long started = System.nanoTime();
        for (Shielded child : children) {
            List<Caller> callers = callers(child.authority());
            // a few at a time: the point is coverage, not load
            for (int i = 0; i < callers.size(); i += 16) {
                List<Caller> batch = callers.subList(i, Math.min(callers.size(), i + 16));
                List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
                for (Caller c : batch) {
                    answers.add(GatewayHarness.retriedIfClosed(() -> federation.gateway.enquire(c.token(federation.gateway), GatewayHarness.enquiry(
                            child.record().givenName(), child.record().familyName(),
                            child.record().dateOfBirth().toString()))));
                }
                Future.all(answers).await(120, TimeUnit.SECONDS);
                for (int k = 0; k < batch.size(); k++) {
                    check(child, batch.get(k), answers.get(k).result(), tally);
                }
            }
        }
        scanExplain(tally);
        int otherRoutes = scanOtherRoutes(tally);
        System.out.printf("A10 scan (%d s): %d shielded children, %d enquiries, %d answers holding a shielded record,"
                + " %d record views checked, %d locations released inside the owning authority, %d explain answers"
                + " (%d of them releasing a location inside its authority), %d audit/statistics answers scanned,"
                + " %d leaks%n", (System.nanoTime() - started) / 1_000_000_000L,
                children.size(), tally.enquiries,
                tally.answersWithAShieldedRecord, tally.recordViewsChecked, tally.locationsReleasedInside,
                tally.explained, tally.explainedLocationsInside, otherRoutes, tally.leaks.size());
        assertEquals(List.of(), tally.leaks.subList(0, Math.min(20, tally.leaks.size())));
        assertTrue(tally.answersWithAShieldedRecord > 0 && tally.locationsReleasedInside > 0
                && tally.locationTextsFoundInside > 0,
                "the scan saw shielded records, the owners' own staff still saw their locations, and the search for"
                + " their words found them there");
        assertTrue(tally.explainedLocationsInside > 0 && tally.explained > tally.explainedLocationsInside,
                "explain released a location to some callers and withheld it from others");
    }

    private static void check(Shielded child, Caller caller, HttpResponse<Buffer> response, Tally tally) {
        tally.enquiries++;
        String who = caller + " about " + child.authority() + "/" + child.recordId();
        String body = response.bodyAsString();
        if (response.statusCode() != 200) {
            if (response.statusCode() != 403) {
                tally.leaks.add(who + ": status " + response.statusCode());
            }
            noShieldedAddress(body, caller, who, tally, Set.of());
            return;
        }
        JsonObject answer = response.bodyAsJsonObject();
        List<JsonObject> views = new ArrayList<>();
        answer.getJsonArray("persons").forEach(p -> ((JsonObject) p).getJsonArray("records")
                .forEach(r -> views.add((JsonObject) r)));
        boolean shieldedInAnswer = views.stream().anyMatch(v -> shieldedIds.contains(
                v.getString("authority") + "/" + v.getString("recordId")));
        if (!shieldedInAnswer) {
            // No shielded record in the answer (its register is WITHHELD from this caller, or
            // holds none): the other registers' records are released as the policy allows.
            noShieldedAddress(body, caller, who, tally, releasedLocations(views));
            return;
        }
        tally.answersWithAShieldedRecord++;
        for (JsonObject v : views) {
            tally.recordViewsChecked++;
            String authority = v.getString("authority");
            boolean shielded = shieldedIds.contains(authority + "/" + v.getString("recordId"));
            boolean may = shielded ? caller.inside(authority) && caller.sensitive() : caller.inside(authority);
            JsonObject data = v.getJsonObject("data");
            boolean has = data.containsKey("address") || data.containsKey("addressHistory");
            if (has && !may) {
                tally.leaks.add(who + ": location of " + authority + "/" + v.getString("recordId")
                        + (shielded ? " (shielded)" : " (in an answer holding a shielded record)"));
            }
            if (may && !has) {
                tally.leaks.add(who + ": " + authority + "'s own staff lost its location");
            }
            if (has) {
                tally.locationsReleasedInside++;
            }
            if (shielded && has && may && authority.equals(child.authority()) && v.getString("recordId").equals(child.recordId())) {
                // The search for location words finds them where they are allowed: it could find a leak.
                if (LocationTexts.foundIn(body, child.location(), Set.of()).isEmpty()) {
                    tally.leaks.add(who + ": the scan found no word of a location that was released");
                } else {
                    tally.locationTextsFoundInside++;
                }
            }
            if (shielded && !(Boolean.TRUE.equals(v.getBoolean("shielded")) && v.getString("notice") != null)) {
                tally.leaks.add(who + ": shielded record not marked");
            }
        }
        // Only the views the oracle lets carry a location excuse the words they hold.
        List<JsonObject> may = views.stream().filter(v -> {
            String authority = v.getString("authority");
            boolean shielded = shieldedIds.contains(authority + "/" + v.getString("recordId"));
            return shielded ? caller.inside(authority) && caller.sensitive() : caller.inside(authority);
        }).toList();
        noShieldedAddress(body, caller, who, tally, releasedLocations(may));
    }

    /**
     * The first lines and postcodes held, at their registers, by those of {@code views} that
     * carry a location: what the caller was allowed to be shown.
     */
    private static Set<String> releasedLocations(List<JsonObject> views) {
        Set<String> texts = new HashSet<>();
        for (JsonObject v : views) {
            JsonObject data = v.getJsonObject("data");
            if (data != null && (data.containsKey("address") || data.containsKey("addressHistory"))) {
                federation.mocks.register(v.getString("authority")).record(v.getString("recordId"))
                        .ifPresent(r -> texts.addAll(LocationTexts.of(r)));
            }
        }
        return texts;
    }

    /**
     * No first line or postcode of any shielded child's current or earlier address appears
     * anywhere in {@code body} for a caller who may not see that child's location, but those in
     * {@code allowed} (held by a record the caller was allowed to be shown).
     */
    private static void noShieldedAddress(String body, Caller caller, String who, Tally tally, Set<String> allowed) {
        for (Shielded c : children) {
            if (caller.inside(c.authority()) && caller.sensitive()) {
                continue;
            }
            List<String> found = LocationTexts.foundIn(body, c.location(), allowed);
            if (!found.isEmpty()) {
                tally.leaks.add(who + ": " + found.size() + " location text(s) of " + c.authority() + "/" + c.recordId());
            }
        }
    }

    /**
     * Explain, asked by every caller kind about each shielded child: the declaration of the scan's
     * enquiries and the registers that hold the child. Explain asks no register, so what it can
     * give away is its promise: for the owner's register, what a shielded record releases
     * ({@code ifShielded}); for the others holding the child, what a record in an answer with a
     * shielded one releases ({@code ifLinkedToShielded}). Each must name a location field exactly
     * when the oracle lets that caller have it, and the body must hold no word of the child's
     * location.
     */
    private static void scanExplain(Tally tally) throws Exception {
        for (Shielded child : children) {
            List<Caller> callers = callers(child.authority());
            for (int i = 0; i < callers.size(); i += 16) {
                List<Caller> batch = callers.subList(i, Math.min(callers.size(), i + 16));
                List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
                for (Caller c : batch) {
                    String token = c.token(federation.gateway);
                    answers.add(GatewayHarness.retriedIfClosed(() -> federation.gateway.client.post("/api/v1/policy/explain")
                            .bearerTokenAuthentication(token).sendJsonObject(explainBody(child.registers()))));
                }
                Future.all(answers).await(120, TimeUnit.SECONDS);
                for (int k = 0; k < batch.size(); k++) {
                    checkExplain(child, batch.get(k), answers.get(k).result(), tally);
                }
            }
        }
    }

    static JsonObject explainBody(List<String> registers) {
        return new JsonObject()
                .put("purpose", new JsonObject().put("code", "s47-enquiry").put("justification", "scan"))
                .put("consent", new JsonObject().put("status", "not-sought").put("ground", "risk-of-significant-harm"))
                .put("registers", new JsonArray(registers));
    }

    private static void checkExplain(Shielded child, Caller caller, HttpResponse<Buffer> response, Tally tally) {
        tally.explained++;
        String who = caller + " explain about " + child.authority() + "/" + child.recordId();
        if (response.statusCode() != 200) {
            tally.leaks.add(who + ": status " + response.statusCode());
            return;
        }
        JsonObject answer = response.bodyAsJsonObject();
        // performance-quality may not make a named enquiry at all (A3, P3): nothing is released to it.
        boolean enquires = !"performance-quality".equals(caller.role());
        boolean released = false;
        int registers = 0;
        for (Object o : answer.getJsonArray("registers")) {
            JsonObject r = (JsonObject) o;
            String authority = r.getString("authority");
            boolean owner = authority.equals(child.authority());
            JsonObject sets = r.getJsonObject(owner ? "ifShielded" : "ifLinkedToShielded");
            boolean location = sets != null && sets.getJsonArray("allowedFields").stream()
                    .anyMatch(f -> "address".equals(f) || "addressHistory".equals(f));
            boolean may = enquires && (owner ? caller.inside(authority) && caller.sensitive() : caller.inside(authority));
            if (sets == null) {
                tally.leaks.add(who + ": no " + (owner ? "ifShielded" : "ifLinkedToShielded") + " for " + authority);
            } else if (location && !may) {
                tally.leaks.add(who + ": explain promises " + authority + "'s location"
                        + (owner ? " of a shielded record" : " beside a shielded record"));
            } else if (may && !location) {
                tally.leaks.add(who + ": explain withholds " + authority + "'s location from its own staff");
            }
            released |= location;
            registers++;
        }
        if (registers != child.registers().size()) {
            tally.leaks.add(who + ": explain answered for " + registers + " registers of " + child.registers());
        }
        if (released) {
            tally.explainedLocationsInside++;
        }
        noShieldedAddress(response.bodyAsString(), caller, who, tally, Set.of());
    }

    /** The audit view and statistics for every caller kind, after the enquiries. */
    private static int scanOtherRoutes(Tally tally) throws Exception {
        int scanned = 0;
        for (Caller caller : callers("leeds")) {
            String token = caller.token(federation.gateway);
            List<Future<HttpResponse<Buffer>>> calls = List.of(
                    GatewayHarness.retriedIfClosed(() -> federation.gateway.client.get("/api/v1/audit?limit=1000").bearerTokenAuthentication(token)
                            .send()),
                    GatewayHarness.retriedIfClosed(() -> federation.gateway.client.get("/api/v1/statistics?purpose=planning")
                            .bearerTokenAuthentication(token).send()));
            Future.all(calls).await(60, TimeUnit.SECONDS);
            for (Future<HttpResponse<Buffer>> call : calls) {
                scanned++;
                String body = call.result().bodyAsString();
                for (Shielded c : children) {
                    // No route but an enquiry carries register data at all: not even the owner's staff see it here.
                    List<String> found = LocationTexts.foundIn(body, c.location(), Set.of());
                    if (!found.isEmpty()) {
                        tally.leaks.add(caller + ": " + found.size() + " location text(s) of " + c.authority() + "/"
                                + c.recordId() + " in " + call.result().statusCode());
                    }
                }
            }
        }
        return scanned;
    }

}
