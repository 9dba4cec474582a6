package uk.wycps.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import uk.wycps.policy.PolicyDocument.AgencyEntry;
import uk.wycps.policy.PolicyDocument.ConsentRule;
import uk.wycps.policy.PolicyDocument.CrossAuthorityRule;
import uk.wycps.policy.PolicyDocument.FieldEntry;
import uk.wycps.policy.PolicyDocument.PurposeEntry;
import uk.wycps.policy.PolicyDocument.Restriction;
import uk.wycps.policy.PolicyDocument.RoleEntry;
import uk.wycps.policy.PolicyDocument.Rule;
import uk.wycps.policy.PolicyDocument.Scope;
import uk.wycps.policy.PolicyDocument.Section;
import uk.wycps.policy.PolicyDocument.ShieldingRule;

/**
 * The protocol's rules over a validated {@link PolicyDocument}.
 *
 * <p>Deny by default (A8): a role, agency or purpose the document does not list, a caller's home
 * authority or a source authority it does not know, or a consent basis it does not accept gives
 * no named enquiry and an ANONYMISED decision for every register.
 *
 * <p>The effective tier for a source register (A4): the lower of the caller's role and agency
 * maximum tiers when the caller is of an "own authority" agency (social services) of that
 * register's own authority, or when the token holds a grant for it ({@code cross-authority:<a>} or
 * {@code cross-authority:*}); otherwise ANONYMISED. A purpose that permits statistics only gives
 * ANONYMISED (P3). A field is allowed when its tier is within the effective tier, its parent (for
 * {@code relationships[].x}) is allowed, and any restriction it carries admits the caller (the
 * Schedule One indicator: social services with the {@code schedule-one} grant, A6). An
 * ANONYMISED decision allows no field at all, so that register's part of an answer cannot depend
 * on whether it holds the child (A9).
 *
 * <p>Immutable and thread-safe; no I/O and no clock.
 */
public final class ProtocolPolicy implements SharingPolicy {

    private final PolicyDocument document;
    private final Map<String, FieldEntry> fields;
    private final Set<String> authorities;

    /** A policy over a validated document (see {@link PolicyLoader}). */
    public ProtocolPolicy(PolicyDocument document) {
        this.document = Objects.requireNonNull(document, "document");
        this.fields = document.fields().entries();
        this.authorities = Set.copyOf(document.authorities().names());
    }

    /** The document this policy enforces, for review and for the explain endpoint. */
    public PolicyDocument document() {
        return document;
    }

    @Override
    public String id() {
        return document.id();
    }

    @Override
    public String version() {
        return document.version();
    }

    @Override
    public LocalDate effectiveDate() {
        return document.effectiveDate();
    }

    @Override
    public Set<String> authorities() {
        return authorities;
    }

    @Override
    public Set<String> classifiedFields() {
        return fields.keySet();
    }

    @Override
    public Tier fieldTier(String field) {
        FieldEntry e = fields.get(field);
        return e == null ? null : e.tier();
    }

    @Override
    public EnquiryPermission permitEnquiry(Caller caller, Declaration declaration) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(declaration, "declaration");
        Refusal refusal = refusal(caller, declaration);
        if (refusal != null) {
            return EnquiryPermission.refuse(refusal.code, refusal.message, refusal.reason);
        }
        Tier max = callerMaximum(caller);
        Rule roles = document.roles().rule();
        PurposeEntry purpose = document.purposes().entries().get(declaration.purpose());
        Rule purposeRule = purpose.rule() != null ? purpose.rule() : document.purposes().rule();
        Rule consent = document.consent().rule();
        return EnquiryPermission.permit(List.of(
                reason(purposeRule, "purpose " + declaration.purpose().code() + " permits person-level enquiries"),
                reason(consent, "consent basis " + declaration.consent().summary() + " is accepted"),
                reason(roles, "role " + caller.role().code() + " of " + caller.agency().code()
                        + " may see up to " + max)));
    }

    @Override
    public boolean isOwnAuthorityStaff(Caller caller) {
        return caller.authority() != null && authorities.contains(caller.authority())
                && document.crossAuthority().ownAuthorityAgencies().contains(caller.agency());
    }

    @Override
    public AccessDecision decide(Caller caller, Declaration declaration, String sourceAuthority) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(declaration, "declaration");
        Objects.requireNonNull(sourceAuthority, "sourceAuthority");
        DecisionKey key = new DecisionKey(caller.role(), caller.agency(), caller.authority(), caller.authorisations(),
                declaration.purpose(), declaration.consent(), sourceAuthority);
        return decisions.get(key, k -> decideAfresh(caller, declaration, sourceAuthority));
    }

    /**
     * A decision depends on the caller's role, agency, authority and grants, the purpose, the
     * consent basis and the source: never on who the practitioner is, the free-text
     * justification or the child. So every practitioner of one kind shares one decision per
     * register, and an enquiry across 150 registers needs no fresh reckoning.
     */
    private record DecisionKey(Role role, Agency agency, String authority, Set<String> authorisations, Purpose purpose,
            ConsentBasis consent, String source) {
    }

    /**
     * Far more than the kinds of caller times registers a federation has; past it the least
     * used decisions go (they are cheap to reckon again), not all of them at once. Eviction runs
     * on the calling thread: this library starts no thread of its own.
     */
    static final int MAX_REMEMBERED = 4096;
    private final Cache<DecisionKey, AccessDecision> decisions = Caffeine.newBuilder()
            .maximumSize(MAX_REMEMBERED).executor(Runnable::run).build();

    /** How many decisions are remembered now (for tests of the bound). */
    long rememberedDecisions() {
        decisions.cleanUp();
        return decisions.estimatedSize();
    }

    private AccessDecision decideAfresh(Caller caller, Declaration declaration, String sourceAuthority) {
        List<Reason> reasons = new ArrayList<>();
        Tier tier = effectiveTier(caller, declaration, sourceAuthority, reasons);
        Set<String> allowed = new LinkedHashSet<>();
        Set<String> withheld = new LinkedHashSet<>();
        if (tier == Tier.ANONYMISED) {
            withheld.addAll(fields.keySet());
            reasons.add(reason(document.fields().rule(),
                    "anonymised: no person-level field of this register's records is shared"));
            return new AccessDecision(sourceAuthority, tier, allowed, withheld, reasons);
        }
        List<String> aboveTier = new ArrayList<>();
        Map<Rule, List<String>> restricted = new LinkedHashMap<>();
        for (Map.Entry<String, FieldEntry> e : fields.entrySet()) {
            String name = e.getKey();
            FieldEntry field = e.getValue();
            boolean ok = tier.includes(field.tier());
            if (!ok) {
                aboveTier.add(name);
            }
            int nested = name.indexOf("[].");
            if (ok && nested > 0 && !allowed.contains(name.substring(0, nested))) {
                ok = false;
                aboveTier.add(name);
            }
            if (ok && field.onlyFor() != null && !field.onlyFor().admits(caller)) {
                ok = false;
                restricted.computeIfAbsent(field.onlyFor().rule(), r -> new ArrayList<>()).add(name);
            }
            if (ok && field.note() != null) {
                reasons.add(reason(field.note(), name + " is shared as an indicator only"));
            }
            (ok ? allowed : withheld).add(name);
        }
        if (!aboveTier.isEmpty()) {
            reasons.add(reason(document.fields().rule(),
                    "withheld as above " + tier + ": " + String.join(", ", aboveTier)));
        }
        restricted.forEach((rule, names) -> reasons.add(reason(rule, "withheld: " + String.join(", ", names)
                + " goes only to " + restrictionWords(fields.get(names.get(0)).onlyFor()))));
        return shielded(caller, sourceAuthority, tier, allowed, withheld, reasons);
    }

    /**
     * The two further field sets of A10, decided now, before any register is asked: what a
     * shielded record of {@code source} releases to this caller, and what a record of
     * {@code source} linked with a shielded record releases. Grants never open a location here:
     * only the owning authority's own staff do.
     */
    private AccessDecision shielded(Caller caller, String source, Tier tier, Set<String> allowed, Set<String> withheld,
            List<Reason> reasons) {
        ShieldingRule rule = document.shielding();
        List<String> location = rule.locationFields().stream().filter(allowed::contains).toList();
        if (location.isEmpty()) {
            return new AccessDecision(source, tier, allowed, withheld, reasons);
        }
        boolean inside = rule.insideOwningAuthority(caller, source);
        boolean namedTier = inside && rule.tiers().contains(tier);
        Set<String> shielded = new LinkedHashSet<>(allowed);
        Set<String> linked = new LinkedHashSet<>(allowed);
        String fieldsWords = String.join(", ", location);
        String owners = agencyWords(rule.agencies()) + " of " + source;
        if (namedTier) {
            reasons.add(reason(rule.rule(), "if a record of " + source + " is shielded, its location (" + fieldsWords
                    + ") is still released: the caller is " + owners + ", its owning authority, at " + tier));
        } else {
            shielded.removeAll(location);
            reasons.add(reason(rule.rule(), "if a record of " + source + " is shielded, its location (" + fieldsWords
                    + ") is withheld whatever the tier and grants: it goes only to " + owners + " at "
                    + tierWords(rule.tiers()) + "; contact goes through " + source));
        }
        if (inside) {
            reasons.add(reason(rule.linkedRecords(), "if a record of " + source + " is linked with a shielded record,"
                    + " its location is still released: the caller is " + owners + ", its own authority"));
        } else {
            linked.removeAll(location);
            reasons.add(reason(rule.linkedRecords(), "if a record of " + source + " is linked with a shielded record,"
                    + " its location (" + fieldsWords + ") is withheld: it goes only to " + owners));
        }
        return new AccessDecision(source, tier, allowed, withheld, reasons, shielded, linked);
    }

    private static String tierWords(Set<Tier> tiers) {
        if (tiers.isEmpty()) {
            return "no tier (nobody through the gateway)";
        }
        return String.join(" or ", EnumSet.copyOf(tiers).stream().map(Tier::name).toList());
    }

    private Tier effectiveTier(Caller caller, Declaration declaration, String source, List<Reason> reasons) {
        if (!authorities.contains(source)) {
            reasons.add(reason(document.authorities().rule(),
                    "source authority '" + source + "' is not part of this policy: anonymised"));
            return Tier.ANONYMISED;
        }
        Refusal refusal = refusal(caller, declaration);
        if (refusal != null) {
            reasons.add(refusal.reason);
            return Tier.ANONYMISED;
        }
        Tier max = callerMaximum(caller);
        CrossAuthorityRule cross = document.crossAuthority();
        if (cross.ownAuthorityAgencies().contains(caller.agency()) && source.equals(caller.authority())) {
            reasons.add(reason(cross.ownAuthority(), caller.agency().code() + " of " + source
                    + ", the record's own authority: up to the caller's tier, " + max));
            return max;
        }
        String grant = cross.grantFor(caller, source);
        if (grant != null) {
            reasons.add(reason(cross.granted(), "the token grants " + grant + ": up to the caller's tier, " + max));
            return max;
        }
        reasons.add(reason(cross.otherwise(), "not " + agencyWords(cross.ownAuthorityAgencies()) + " of " + source
                + " and no cross-authority grant for it: " + cross.otherwiseTier().name().toLowerCase(java.util.Locale.ROOT)
                + " only"));
        return cross.otherwiseTier();
    }

    /** The lower of the role's and the agency's maximum tiers; only called once both are known. */
    private Tier callerMaximum(Caller caller) {
        return Tier.min(document.roles().entries().get(caller.role()).maxTier(),
                document.agencies().entries().get(caller.agency()).maxTier());
    }

    private record Refusal(String code, String message, Reason reason) {
    }

    /** Why no named enquiry at all is possible for this caller and declaration, or null (A8, P1-P3). */
    private Refusal refusal(Caller caller, Declaration declaration) {
        Section<Purpose, PurposeEntry> purposes = document.purposes();
        PurposeEntry purpose = purposes.entries().get(declaration.purpose());
        if (purpose == null) {
            return new Refusal("purpose-not-permitted", "This policy does not list the purpose "
                    + declaration.purpose().code() + ".", reason(purposes.rule(), "purpose "
                    + declaration.purpose().code() + " is not in the policy: nothing is shared"));
        }
        if (purpose.permits() == Scope.STATISTICS_ONLY) {
            Rule rule = purpose.rule() != null ? purpose.rule() : purposes.rule();
            return new Refusal("purpose-not-permitted",
                    "Planning, policy and resource management use anonymised statistics only, never a named enquiry.",
                    reason(rule, "purpose " + declaration.purpose().code() + " permits statistics only"));
        }
        Section<Role, RoleEntry> roles = document.roles();
        RoleEntry role = roles.entries().get(caller.role());
        if (role == null || role.maxTier() == Tier.ANONYMISED) {
            return new Refusal("role-not-permitted", "Role " + caller.role().code() + " may not make named enquiries.",
                    reason(roles.rule(), "role " + caller.role().code()
                            + (role == null ? " is not in the policy" : " has no person-level tier")));
        }
        Section<Agency, AgencyEntry> agencies = document.agencies();
        AgencyEntry agency = agencies.entries().get(caller.agency());
        if (agency == null || agency.maxTier() == Tier.ANONYMISED) {
            return new Refusal("agency-not-permitted", "Agency " + caller.agency().code()
                    + " may not make named enquiries.", reason(agencies.rule(), "agency " + caller.agency().code()
                    + (agency == null ? " is not in the policy" : " has no person-level tier")));
        }
        if (caller.authority() != null && !authorities.contains(caller.authority())) {
            return new Refusal("authority-unknown", "The caller's authority is not part of this federation.",
                    reason(document.authorities().rule(), "unknown home authority"));
        }
        ConsentRule consent = document.consent();
        if (!consent.accepts(declaration.consent())) {
            return new Refusal("consent-not-accepted", "The consent basis " + declaration.consent().summary()
                    + " is not accepted by this policy.", reason(consent.rule(), "consent basis "
                    + declaration.consent().summary() + " is not accepted"));
        }
        return null;
    }

    private static String restrictionWords(Restriction r) {
        return agencyWords(r.agencies()) + (r.authorisation() == null ? "" : " with the " + r.authorisation()
                + " authorisation");
    }

    private static String agencyWords(Set<Agency> agencies) {
        Set<Agency> sorted = agencies.isEmpty() ? EnumSet.noneOf(Agency.class) : EnumSet.copyOf(agencies);
        return sorted.isEmpty() ? "any agency" : String.join(" or ", sorted.stream().map(Agency::code).toList());
    }

    private static Reason reason(Rule rule, String explanation) {
        return new Reason(rule.id(), rule.requirement(), explanation);
    }
}
