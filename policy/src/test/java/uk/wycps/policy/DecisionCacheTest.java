package uk.wycps.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import uk.wycps.record.CanonicalFields;

/** The decision cache is bounded and never changes a decision, however many kinds of caller come. */
class DecisionCacheTest {

    private static final Declaration CHECK = new Declaration(Purpose.REGISTER_CHECK, "referral",
            ConsentBasis.notSought(ConsentGround.AUTHORISED_REGISTER_CHECK));

    /** Verifies that past its bound the cache keeps at most its size and every decision is the one reckoned afresh. */
    @Test
    void decisionsStayTheSameAndTheCacheStaysBoundedPastItsSize() {
        ProtocolPolicy policy = PolicyLoader.loadDefault(CanonicalFields.all());
        ProtocolPolicy fresh = PolicyLoader.loadDefault(CanonicalFields.all());
        int kinds = ProtocolPolicy.MAX_REMEMBERED * 2;
        for (int i = 0; i < kinds; i++) {
            // Each grant set is a different kind of caller: a distinct key for the cache.
            Caller caller = new Caller("u" + i, Role.CHILD_WORKER, Agency.POLICE, "leeds",
                    Set.of(Caller.CROSS_AUTHORITY_PREFIX + "x" + i));
            policy.decide(caller, CHECK, "bradford");
        }
        assertTrue(policy.rememberedDecisions() <= ProtocolPolicy.MAX_REMEMBERED, "bounded: " + policy.rememberedDecisions());
        assertTrue(policy.rememberedDecisions() > 0, "still remembering");
        for (String source : policy.authorities()) {
            Caller granted = new Caller("u", Role.CHILD_WORKER, Agency.POLICE, "leeds", Set.of(Caller.CROSS_AUTHORITY_ALL));
            Caller plain = new Caller("u", Role.CHILD_WORKER, Agency.POLICE, "leeds", Set.of());
            assertEquals(fresh.decide(granted, CHECK, source), policy.decide(granted, CHECK, source), source);
            assertEquals(fresh.decide(plain, CHECK, source), policy.decide(plain, CHECK, source), source);
        }
    }
}
