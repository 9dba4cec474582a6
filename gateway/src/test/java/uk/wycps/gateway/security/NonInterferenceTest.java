package uk.wycps.gateway.security;

import static uk.wycps.gateway.support.Answers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.support.FederationHarness;
import uk.wycps.gateway.support.GatewayHarness;
import uk.wycps.gateway.support.LogCapture;
import uk.wycps.gateway.support.NonInterference;
import uk.wycps.policy.Role;
import uk.wycps.record.ChildRecord;

/**
 * A9 through every route (issue 23): for every role of the policy, a Leeds caller who may not
 * see a register's records observes exactly the same thing, whether that register holds the
 * child asked about or nobody does: answer, audit view (their own and their co-ordinator's),
 * statistics, explanation, metrics, health and log lines. The withheld registers checked are
 * Bradford (canonical JSON) and Wakefield (the legacy dialect).
 */
@ExtendWith(VertxExtension.class)
class NonInterferenceTest {

    private static final InMemoryAuditSink AUDIT = new InMemoryAuditSink();
    private static final List<String> WITHHELD = List.of("bradford", "wakefield");
    private static FederationHarness federation;
    private static LogCapture logs;
    private static NonInterference check;

    @BeforeAll
    static void start(Vertx vertx, VertxTestContext ctx) {
        logs = LogCapture.start();
        FederationHarness.start(vertx, AUDIT).onComplete(ctx.succeeding(f -> {
            federation = f;
            check = new NonInterference(f, AUDIT, logs);
            ctx.completeNow();
        }));
    }

    @AfterAll
    static void stop(VertxTestContext ctx) {
        logs.close();
        federation.close().onComplete(ctx.succeedingThenComplete());
    }

    static Stream<Arguments> rolesAndWithheldRegisters() {
        List<Arguments> all = new ArrayList<>();
        for (Role role : Role.values()) {
            for (String register : WITHHELD) {
                all.add(Arguments.of(role.code(), register));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} of Leeds, {1} withheld")
    @MethodSource("rolesAndWithheldRegisters")
    void aCallerWhoMayNotSeeARegisterObservesTheSameWhetherItHoldsTheChildOrNobodyDoes(String role, String register)
            throws Exception {
        ChildRecord held = NonInterference.childHeldOnlyBy(federation, register);
        JsonObject heldEnquiry = GatewayHarness.enquiry(held.givenName(), held.familyName(),
                held.dateOfBirth().toString());
        JsonObject nobodysEnquiry = GatewayHarness.enquiry("Zephyrine", "Quillfeather-Oakes",
                held.dateOfBirth().toString());
        assertNobodyHolds(nobodysEnquiry);

        NonInterference.Observer observer = new NonInterference.Observer(
                federation.gateway.issuer.token(role, "social-services", "leeds"),
                federation.gateway.issuer.token("cp-coordinator", "social-services", "leeds"));
        NonInterference.Observation whenHeld = check.observe(observer, heldEnquiry);
        NonInterference.Observation whenNobody = check.observe(observer, nobodysEnquiry);

        Map<String, String> leaks = NonInterference.differences(whenHeld, whenNobody);
        assertTrue(leaks.isEmpty(), "A9: a " + role + " of Leeds can tell that " + register
                + " holds the child through " + leaks);
    }

    /**
     * The same for a Child Protection Co-ordinator of another agency (education) naming
     * Bradford, whose records the policy withholds from them (A4's own-authority rule is for
     * social services): neither their answers nor their audit view may tell whether Bradford
     * holds the child. Their audit view once showed Bradford's withheld search as their own
     * authority's, with the record it notified.
     */
    @Test
    void aCoordinatorOfAnotherAgencyLearnsNothingOfTheirOwnAuthoritysRegister() throws Exception {
        ChildRecord held = NonInterference.childHeldOnlyBy(federation, "bradford");
        JsonObject heldEnquiry = GatewayHarness.enquiry(held.givenName(), held.familyName(),
                held.dateOfBirth().toString());
        JsonObject nobodysEnquiry = GatewayHarness.enquiry("Zephyrine", "Quillfeather-Oakes",
                held.dateOfBirth().toString());
        assertNobodyHolds(nobodysEnquiry);
        String educationCoordinator = federation.gateway.issuer.token("cp-coordinator", "education", "bradford");
        NonInterference.Observer observer = new NonInterference.Observer(educationCoordinator, educationCoordinator);
        Map<String, String> leaks = NonInterference.differences(check.observe(observer, heldEnquiry),
                check.observe(observer, nobodysEnquiry));
        assertTrue(leaks.isEmpty(), "A4, A9: an education co-ordinator of Bradford can tell that Bradford holds the "
                + "child through " + leaks);
    }

    private static void assertNobodyHolds(JsonObject enquiry) throws Exception {
        String everywhere = federation.gateway.issuer.token("child-worker", "social-services", "leeds",
                "cross-authority:*");
        JsonObject answer = await(federation.gateway.enquire(everywhere, enquiry)).bodyAsJsonObject();
        assertNotNull(answer.getJsonArray("persons"), answer.encode());
        assertTrue(answer.getJsonArray("persons").isEmpty(), "nobody holds " + answer.encode());
        assertEquals("none-found", answer.getString("outcome"), answer.encode());
        assertFalse(answer.getBoolean("complete") == null);
    }

}
