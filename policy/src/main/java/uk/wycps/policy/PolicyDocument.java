package uk.wycps.policy;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A validated sharing policy document: the protocol's clauses as data (see {@code docs/policy.md}).
 * Built by {@link PolicyLoader}, which checks every name against the closed sets of the contract;
 * {@link ProtocolPolicy} turns it into decisions.
 *
 * @param id             the policy's id, recorded with every audited decision
 * @param version        the policy's version
 * @param effectiveDate  the date from which the policy applies
 * @param protocol       the protocol text the policy implements (free text)
 * @param authorities    the authorities of the federation, and the rule that names them (A8)
 * @param roles          each known role's maximum tier (A3, A4); a role not listed gets nothing
 * @param agencies       each known agency's maximum tier; an agency not listed gets nothing
 * @param fields         every canonical field's tier (A5-A7)
 * @param purposes       what each known purpose permits (P1, P3); a purpose not listed gets nothing
 * @param consent        the consent bases accepted (P2)
 * @param crossAuthority the effective-tier rule across authorities (A4)
 * @param shielding      what a shielded record, and a person joining one, release (A10)
 */
public record PolicyDocument(
        String id,
        String version,
        LocalDate effectiveDate,
        String protocol,
        Authorities authorities,
        Section<Role, RoleEntry> roles,
        Section<Agency, AgencyEntry> agencies,
        Section<String, FieldEntry> fields,
        Section<Purpose, PurposeEntry> purposes,
        ConsentRule consent,
        CrossAuthorityRule crossAuthority,
        ShieldingRule shielding) {

    public PolicyDocument {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(effectiveDate, "effectiveDate");
        Objects.requireNonNull(authorities, "authorities");
        Objects.requireNonNull(roles, "roles");
        Objects.requireNonNull(agencies, "agencies");
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(purposes, "purposes");
        Objects.requireNonNull(consent, "consent");
        Objects.requireNonNull(crossAuthority, "crossAuthority");
        Objects.requireNonNull(shielding, "shielding");
    }

    /** The same document for another set of authorities (the walking skeleton's configuration). */
    public PolicyDocument withAuthorities(Set<String> names) {
        return new PolicyDocument(id, version, effectiveDate, protocol,
                new Authorities(authorities.rule(), List.copyOf(names)),
                roles, agencies, fields, purposes, consent, crossAuthority, shielding);
    }

    /**
     * A rule's identity, cited by every {@link Reason} it produces.
     *
     * @param id          a stable rule id, unique in the document
     * @param requirement the requirement it implements (e.g. {@code A4})
     * @param clause      the protocol's words it rests on, or null
     */
    public record Rule(String id, String requirement, String clause) {
        public Rule {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(requirement, "requirement");
        }
    }

    /** A rule with its entries, in document order. */
    public record Section<K, V>(Rule rule, Map<K, V> entries) {
        public Section {
            Objects.requireNonNull(rule, "rule");
            entries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(entries));
        }
    }

    /** The authorities of the federation; any other is unknown and gets nothing (A8). */
    public record Authorities(Rule rule, List<String> names) {
        public Authorities {
            Objects.requireNonNull(rule, "rule");
            names = List.copyOf(names);
        }
    }

    /** A role's maximum tier and why it was chosen. */
    public record RoleEntry(Tier maxTier, String why) {
        public RoleEntry {
            Objects.requireNonNull(maxTier, "maxTier");
        }
    }

    /** An agency's maximum tier and who it is. */
    public record AgencyEntry(Tier maxTier, String why) {
        public AgencyEntry {
            Objects.requireNonNull(maxTier, "maxTier");
        }
    }

    /**
     * A canonical field's classification.
     *
     * @param tier          its tier (PERSONAL or SENSITIVE: ANONYMISED callers get no field at all)
     * @param requirement   the M requirement that puts it in the record
     * @param indicatorOnly true when only the existence of something is shared (A7)
     * @param note          a rule of its own about this field, cited when it is allowed, or null
     * @param onlyFor       a further restriction beyond the tier, or null
     */
    public record FieldEntry(Tier tier, String requirement, boolean indicatorOnly, Rule note, Restriction onlyFor) {
        public FieldEntry {
            Objects.requireNonNull(tier, "tier");
        }
    }

    /** A field that, on top of its tier, goes only to these agencies holding this authorisation (A6). */
    public record Restriction(Rule rule, Set<Agency> agencies, String authorisation) {
        public Restriction {
            Objects.requireNonNull(rule, "rule");
            agencies = Set.copyOf(agencies);
        }

        public boolean admits(Caller caller) {
            return agencies.contains(caller.agency())
                    && (authorisation == null || caller.authorisations().contains(authorisation));
        }
    }

    /** What a purpose permits. */
    public enum Scope {
        /** Named enquiries, person-level answers up to the caller's tier. */
        PERSON_LEVEL("person-level"),
        /** Anonymised statistics only, never a named enquiry (P3). */
        STATISTICS_ONLY("statistics-only");

        private final String code;

        Scope(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** A purpose's scope; {@code rule} is its own rule (e.g. P3 for planning), or null for the section's. */
    public record PurposeEntry(Scope permits, Rule rule) {
        public PurposeEntry {
            Objects.requireNonNull(permits, "permits");
        }
    }

    /** The consent bases the policy accepts (P2). */
    public record ConsentRule(Rule rule, Set<ConsentStatus> statuses, Set<ConsentGround> grounds,
            Set<RefusedBy> refusedBy) {
        public ConsentRule {
            Objects.requireNonNull(rule, "rule");
            statuses = Set.copyOf(statuses);
            grounds = Set.copyOf(grounds);
            refusedBy = Set.copyOf(refusedBy);
        }

        public boolean accepts(ConsentBasis basis) {
            return statuses.contains(basis.status())
                    && (basis.ground() == null || grounds.contains(basis.ground()))
                    && (basis.refusedBy() == null || refusedBy.contains(basis.refusedBy()));
        }
    }

    /**
     * The cross-authority rule (A4): the listed agencies of the record's own authority get the
     * caller's maximum tier; so does a caller holding one of the grant authorisations (where
     * {@code {authority}} stands for the record's authority); everyone else gets
     * {@code otherwiseTier}.
     */
    public record CrossAuthorityRule(Rule ownAuthority, Set<Agency> ownAuthorityAgencies, Rule granted,
            List<String> grants, Rule otherwise, Tier otherwiseTier) {
        public static final String AUTHORITY_PLACEHOLDER = "{authority}";

        public CrossAuthorityRule {
            Objects.requireNonNull(ownAuthority, "ownAuthority");
            Objects.requireNonNull(granted, "granted");
            Objects.requireNonNull(otherwise, "otherwise");
            Objects.requireNonNull(otherwiseTier, "otherwiseTier");
            ownAuthorityAgencies = Set.copyOf(ownAuthorityAgencies);
            grants = List.copyOf(grants);
        }

        /** The grant of {@code caller} that opens {@code source}, or null. */
        public String grantFor(Caller caller, String source) {
            for (String pattern : grants) {
                String grant = pattern.replace(AUTHORITY_PLACEHOLDER, source);
                if (caller.authorisations().contains(grant)) {
                    return grant;
                }
            }
            return null;
        }
    }

    /**
     * Shielding (A10): a record its owning authority shields releases its {@code locationFields}
     * only to a caller of that authority, of one of {@code agencies}, whose effective tier for it is
     * one of {@code tiers}; whatever anyone else's tier and grants. A record linked in one person
     * with a shielded record ({@code linkedRecords}) releases its location only to a caller of its
     * own authority and of one of {@code agencies}, at the tier they would have by hand.
     *
     * @param rule           the shielding rule, cited when a shielded record's location is withheld
     * @param locationFields the fields that place the child (the location field class)
     * @param agencies       the agencies that make up the owning authority (a subset of the
     *                       own-authority agencies of the cross-authority rule)
     * @param tiers          the effective tiers inside the owning authority that see a shielded
     *                       record's location
     * @param linkedRecords  the person-level rule, cited for records linked with a shielded one
     */
    public record ShieldingRule(Rule rule, Set<String> locationFields, Set<Agency> agencies, Set<Tier> tiers,
            Rule linkedRecords) {
        public ShieldingRule {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(linkedRecords, "linkedRecords");
            locationFields = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(locationFields));
            agencies = Set.copyOf(agencies);
            tiers = Set.copyOf(tiers);
        }

        /** True when {@code caller} is of {@code source}'s own authority as this rule counts it. */
        public boolean insideOwningAuthority(Caller caller, String source) {
            return source.equals(caller.authority()) && agencies.contains(caller.agency());
        }
    }
}
