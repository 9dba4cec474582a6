package uk.wycps.policy;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The field table of API.md and the role tiers of docs/policy.md, written out by hand: an oracle
 * that does not come from the policy document, so the tests compare two independent sources.
 */
final class ApiFieldTable {

    static final String SCHEDULE_ONE = "relationships[].scheduleOneIndicator";

    static final List<String> PERSONAL = List.of("recordId", "givenName", "familyName", "aliases", "dateOfBirth",
            "gender", "languages", "address", "addressHistory", "legalStatus", "concernCategories", "registration",
            "registrationHistory", "meetings", "enquiryHistory", "referrals", "relationships", "lookedAfterIndicator",
            "shielded");

    static final List<String> SENSITIVE = List.of("ethnicity", "healthNotes", "concernDetails",
            "relationships[].concernIndicator", SCHEDULE_ONE);

    static final Map<String, Tier> FIELD_TIERS;

    static {
        Map<String, Tier> m = new LinkedHashMap<>();
        PERSONAL.forEach(f -> m.put(f, Tier.PERSONAL));
        SENSITIVE.forEach(f -> m.put(f, Tier.SENSITIVE));
        FIELD_TIERS = Map.copyOf(m);
    }

    static final Map<Role, Tier> ROLE_TIERS = Map.of(
            Role.CP_COORDINATOR, Tier.SENSITIVE,
            Role.SENIOR_MANAGER, Tier.PERSONAL,
            Role.ADMIN_STAFF, Tier.PERSONAL,
            Role.MANAGER_CHILD_WORKERS, Tier.SENSITIVE,
            Role.CHILD_WORKER, Tier.SENSITIVE,
            Role.PERPETRATOR_WORKER, Tier.SENSITIVE,
            Role.REFERRER, Tier.PERSONAL,
            Role.CONFERENCE_CHAIR, Tier.SENSITIVE,
            Role.PERFORMANCE_QUALITY, Tier.ANONYMISED);

    static final Set<String> AUTHORITIES = Set.of("bradford", "calderdale", "kirklees", "leeds", "wakefield");

    private ApiFieldTable() {
    }

    /** The fields of a scenario group (docs/policy-scenarios.md). */
    static Set<String> group(String name) {
        Set<String> s = new LinkedHashSet<>();
        switch (name) {
            case "none" -> { }
            case "personal" -> s.addAll(PERSONAL);
            case "personal+sensitive" -> {
                s.addAll(PERSONAL);
                s.addAll(SENSITIVE);
                s.remove(SCHEDULE_ONE);
            }
            case "all" -> {
                s.addAll(PERSONAL);
                s.addAll(SENSITIVE);
            }
            default -> throw new IllegalArgumentException("unknown field group '" + name + "'");
        }
        return s;
    }
}
