package uk.wycps.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import uk.wycps.record.Address;
import uk.wycps.record.AddressPeriod;
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.ConcernCategory;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.FieldProjection;
import uk.wycps.record.Gender;
import uk.wycps.record.Meeting;
import uk.wycps.record.PersonName;
import uk.wycps.record.Referral;
import uk.wycps.record.Registration;
import uk.wycps.record.Relationship;

/**
 * Property-based test over generated callers, declarations and fully populated records, with
 * seeded generators in plain JUnit. The seed is fixed, so a failure replays; another seed with
 * {@code -Dpolicy.seed=<seed>} (the seed is printed and is in every failure message); {@code -Dpolicy.cases=N} sets the number of
 * cases (default 20,000).
 *
 * <p>Properties, each against an oracle written from API.md and the protocol rather than read
 * from the policy document:
 * <ul>
 *   <li>the effective tier is the A4 rule's (own-authority social services or a grant: the role's
 *       tier; otherwise, and for anything unknown, planning or a refused enquiry: ANONYMISED);</li>
 *   <li>no field above the effective tier survives the projection (A5);</li>
 *   <li>no Schedule One indicator reaches anyone but social services with {@code schedule-one} (A6);</li>
 *   <li>an ANONYMISED decision allows nothing, so the register's part is the same whether it
 *       holds a matching child or not (A9);</li>
 *   <li>allowed and withheld fields partition the canonical fields.</li>
 * </ul>
 */
class PolicyPropertyTest {

    private static final SharingPolicy POLICY = PolicyLoader.loadDefault(CanonicalFields.all());
    private static final List<String> SOURCES = List.of("bradford", "calderdale", "kirklees", "leeds", "wakefield");
    private static final ChildRecord EMPTY = new ChildRecord(null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null);

    @Test
    void noDecisionLetsAnyFieldThroughAboveWhatTheProtocolAllows() {
        long seed = Long.getLong("policy.seed", 20_261_201L);
        int cases = Integer.getInteger("policy.cases", 20_000);
        System.out.println("PolicyPropertyTest seed=" + seed + " cases=" + cases
                + " (rerun with -Dpolicy.seed=" + seed + ")");
        Random random = new Random(seed);
        int anonymised = 0;
        int sensitive = 0;
        int scheduleOne = 0;
        for (int i = 0; i < cases; i++) {
            Caller caller = caller(random, i);
            Declaration declaration = declaration(random);
            String source = random.nextInt(20) == 0 ? "york" : pick(random, SOURCES);
            ChildRecord record = record(random);
            String context = "seed=" + seed + " case=" + i + " caller=" + caller + " purpose="
                    + declaration.purpose() + " consent=" + declaration.consent().summary() + " source=" + source;
            try {
                Tier tier = check(caller, declaration, source, record, record(random));
                if (tier == Tier.ANONYMISED) {
                    anonymised++;
                } else if (tier == Tier.SENSITIVE) {
                    sensitive++;
                }
                if (POLICY.decide(caller, declaration, source).allowedFields().contains(ApiFieldTable.SCHEDULE_ONE)) {
                    scheduleOne++;
                }
            } catch (AssertionError e) {
                fail(context + ": " + e.getMessage(), e);
            }
        }
        System.out.println("PolicyPropertyTest anonymised=" + anonymised + " sensitive=" + sensitive
                + " scheduleOne=" + scheduleOne);
        // the generators must reach every interesting region, or the properties prove little
        assertTrue(anonymised > cases / 10, "too few ANONYMISED cases: " + anonymised);
        assertTrue(sensitive > cases / 50, "too few SENSITIVE cases: " + sensitive);
        assertTrue(scheduleOne > 0, "no case reached the Schedule One indicator");
    }

    /** Checks every property for one case; returns the effective tier. */
    private static Tier check(Caller caller, Declaration declaration, String source, ChildRecord match,
            ChildRecord other) {
        EnquiryPermission permission = POLICY.permitEnquiry(caller, declaration);
        AccessDecision decision = POLICY.decide(caller, declaration, source);
        Tier tier = decision.tier();

        // the effective tier is the protocol's (A3, A4, A8, P3)
        assertEquals(expectedTier(caller, declaration, source), tier, "tier " + decision.reasons());
        if (!permission.permitted()) {
            assertEquals(Tier.ANONYMISED, tier, "a refused enquiry gets a tier");
        }

        // allowed and withheld partition the canonical fields
        Set<String> union = new LinkedHashSet<>(decision.allowedFields());
        union.addAll(decision.withheldFields());
        assertEquals(CanonicalFields.all(), union, "allowed + withheld");
        assertEquals(decision.allowedFields().size() + decision.withheldFields().size(), union.size(), "overlap");

        // every allowed field is within the tier; Schedule One only for authorised social services
        boolean scheduleOneOk = caller.agency() == Agency.SOCIAL_SERVICES
                && caller.authorisations().contains(Caller.SCHEDULE_ONE);
        for (String f : decision.allowedFields()) {
            assertTrue(tier.includes(ApiFieldTable.FIELD_TIERS.get(f)), f + " above " + tier);
        }
        for (String f : CanonicalFields.all()) {
            boolean expected = tier != Tier.ANONYMISED && tier.includes(ApiFieldTable.FIELD_TIERS.get(f))
                    && (!f.equals(ApiFieldTable.SCHEDULE_ONE) || scheduleOneOk);
            assertEquals(expected, decision.allowedFields().contains(f), "field " + f + " at " + tier);
        }

        // what survives the projection of a fully populated record
        ChildRecord projected = FieldProjection.project(match, decision.allowedFields());
        for (RecordComponent c : ChildRecord.class.getRecordComponents()) {
            Object value = value(c, projected);
            if (value != null) {
                assertTrue(tier.includes(ApiFieldTable.FIELD_TIERS.get(c.getName())),
                        c.getName() + " survived at " + tier);
            }
        }
        if (projected.relationships() != null) {
            for (Relationship r : projected.relationships()) {
                if (r.concernIndicator() != null) {
                    assertEquals(Tier.SENSITIVE, tier, "concern indicator survived at " + tier);
                }
                if (r.scheduleOneIndicator() != null) {
                    assertTrue(scheduleOneOk && tier == Tier.SENSITIVE, "Schedule One indicator reached " + caller);
                }
            }
        }

        // non-interference (A9): an ANONYMISED register's part is the same with or without a match
        if (tier == Tier.ANONYMISED) {
            assertTrue(decision.allowedFields().isEmpty(), "ANONYMISED allows " + decision.allowedFields());
            assertFalse(decision.recordsVisible(), "ANONYMISED shows records");
            assertEquals(EMPTY, projected, "something of the matching record survived");
            assertEquals(EMPTY, FieldProjection.project(other, decision.allowedFields()), "another record leaks");
        } else {
            assertTrue(decision.recordsVisible(), "records at " + tier + " not visible");
        }
        // the decision depends on caller, declaration and source only: asking again gives the same
        assertEquals(decision, POLICY.decide(caller, declaration, source), "decision not deterministic");
        return tier;
    }

    /** The protocol's rule, written independently of the policy document. */
    private static Tier expectedTier(Caller caller, Declaration declaration, String source) {
        boolean known = ApiFieldTable.AUTHORITIES.contains(source)
                && (caller.authority() == null || ApiFieldTable.AUTHORITIES.contains(caller.authority()));
        if (!known || declaration.purpose() == Purpose.PLANNING) {
            return Tier.ANONYMISED;
        }
        Tier role = ApiFieldTable.ROLE_TIERS.get(caller.role());
        boolean own = caller.agency() == Agency.SOCIAL_SERVICES && source.equals(caller.authority());
        boolean granted = caller.authorisations().contains("cross-authority:*")
                || caller.authorisations().contains("cross-authority:" + source);
        return own || granted ? role : Tier.ANONYMISED;
    }

    private static Object value(RecordComponent c, ChildRecord record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- generators ------------------------------------------------------------------------------

    private static Caller caller(Random r, int i) {
        String home = switch (r.nextInt(10)) {
            case 0 -> null;
            case 1 -> "york";
            default -> pick(r, SOURCES);
        };
        Set<String> grants = new LinkedHashSet<>();
        int n = r.nextInt(4);
        for (int k = 0; k < n; k++) {
            grants.add(switch (r.nextInt(8)) {
                case 0 -> "cross-authority:*";
                case 1, 2 -> Caller.SCHEDULE_ONE;
                case 3 -> "cross-authority:york";
                case 4 -> pick(r, List.of("cross-authority:", "Schedule-One", "cross-authority:LEEDS", "*"));
                default -> "cross-authority:" + pick(r, SOURCES);
            });
        }
        // social services are the interesting case for A4 and A6: give them more weight
        Agency agency = r.nextBoolean() ? Agency.SOCIAL_SERVICES : pick(r, List.of(Agency.values()));
        return new Caller("subject-" + i, pick(r, List.of(Role.values())), agency, home, grants);
    }

    private static Declaration declaration(Random r) {
        Purpose purpose = pick(r, List.of(Purpose.values()));
        ConsentGround ground = pick(r, List.of(ConsentGround.values()));
        ConsentBasis consent = switch (r.nextInt(3)) {
            case 0 -> ConsentBasis.obtained("CF-" + r.nextInt(100_000));
            case 1 -> ConsentBasis.notSought(ground);
            default -> ConsentBasis.refused(ground, pick(r, List.of(RefusedBy.values())));
        };
        return new Declaration(purpose, "generated", consent);
    }

    /** A record with every field populated, including both indicators on every related person. */
    static ChildRecord record(Random r) {
        LocalDate dob = LocalDate.of(2008 + r.nextInt(18), 1 + r.nextInt(12), 1 + r.nextInt(28));
        Address address = new Address(r.nextInt(200) + " Street " + word(r), word(r), "LS" + r.nextInt(30) + " 1AA",
                pick(r, SOURCES));
        Registration registration = new Registration(Registration.ACTIVE, pick(r, List.of(ConcernCategory.values())),
                dob.plusYears(1), null);
        List<Relationship> relationships = new ArrayList<>();
        for (int k = 0, n = 1 + r.nextInt(3); k < n; k++) {
            relationships.add(new Relationship(word(r) + " " + word(r), pick(r, List.of("mother", "father", "uncle")),
                    r.nextBoolean(), r.nextBoolean()));
        }
        return new ChildRecord(
                "REC-" + r.nextInt(1_000_000), word(r), word(r),
                List.of(new PersonName(word(r), word(r))), dob, pick(r, List.of(Gender.values())),
                List.of(pick(r, List.of("en", "ur", "pl", "pa"))), address,
                List.of(new AddressPeriod(address, dob, null)), pick(r, List.of("s31", "s20", "none")),
                List.of(pick(r, List.of(ConcernCategory.values()))), registration, List.of(registration),
                List.of(new Meeting(dob.plusYears(2), "initial-conference", "registered")),
                List.of(new EnquiryHistoryEntry("e" + r.nextInt(), "q" + r.nextInt(), Instant.ofEpochSecond(
                        1_700_000_000L + r.nextInt(10_000_000)), "sub", "child-worker", "health", "leeds",
                        "register-check", "obtained")),
                List.of(new Referral(dob.plusYears(1), "school", "neglect concerns")),
                relationships, r.nextBoolean(), pick(r, List.of("White British", "Pakistani", "Polish")),
                "health note " + r.nextInt(), "concern details " + r.nextInt());
    }

    private static String word(Random r) {
        char[] c = new char[3 + r.nextInt(6)];
        for (int i = 0; i < c.length; i++) {
            c[i] = (char) ('a' + r.nextInt(26));
        }
        c[0] = Character.toUpperCase(c[0]);
        return new String(c);
    }

    private static <T> T pick(Random r, List<T> items) {
        return items.get(r.nextInt(items.size()));
    }
}
