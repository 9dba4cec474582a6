package uk.wycps.policy;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The walking skeleton's policy: the field table of API.md and a maximum tier per role. */
public final class DefaultPolicy {

    public static final String SCHEDULE_ONE_FIELD = "relationships[].scheduleOneIndicator";

    private DefaultPolicy() {
    }

    public static SharingPolicy create(Set<String> authorities) {
        Map<String, Tier> fields = new LinkedHashMap<>();
        for (String f : new String[] {"recordId", "givenName", "familyName", "aliases", "dateOfBirth", "gender",
                "languages", "address", "addressHistory", "legalStatus", "concernCategories", "registration",
                "registrationHistory", "meetings", "enquiryHistory", "referrals", "relationships",
                "lookedAfterIndicator"}) {
            fields.put(f, Tier.PERSONAL);
        }
        for (String f : new String[] {"ethnicity", "healthNotes", "concernDetails",
                "relationships[].concernIndicator", SCHEDULE_ONE_FIELD}) {
            fields.put(f, Tier.SENSITIVE);
        }
        Map<Role, Tier> roles = new EnumMap<>(Role.class);
        roles.put(Role.CP_COORDINATOR, Tier.SENSITIVE);
        roles.put(Role.SENIOR_MANAGER, Tier.PERSONAL);
        roles.put(Role.ADMIN_STAFF, Tier.PERSONAL);
        roles.put(Role.MANAGER_CHILD_WORKERS, Tier.SENSITIVE);
        roles.put(Role.CHILD_WORKER, Tier.SENSITIVE);
        roles.put(Role.PERPETRATOR_WORKER, Tier.SENSITIVE);
        roles.put(Role.REFERRER, Tier.PERSONAL);
        roles.put(Role.CONFERENCE_CHAIR, Tier.SENSITIVE);
        roles.put(Role.PERFORMANCE_QUALITY, Tier.ANONYMISED);
        return new ProtocolPolicy("wycps-default", "0.1", fields, roles, authorities, SCHEDULE_ONE_FIELD);
    }
}
