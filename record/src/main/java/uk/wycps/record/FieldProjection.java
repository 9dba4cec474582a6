package uk.wycps.record;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Keeps only the allowed fields of a record (A5). Used on both sides of the boundary: a register
 * honours the projection it is asked for, and the gateway projects again before answering, so
 * that a register sending too much never reaches a caller.
 */
public final class FieldProjection {

    private FieldProjection() {
    }

    /**
     * A copy of {@code record} holding only the fields in {@code allowed} (paths as in
     * {@link CanonicalFields}); {@code recordId} is kept only when allowed too.
     */
    public static ChildRecord project(ChildRecord record, Set<String> allowed) {
        return new ChildRecord(
                keep(allowed, "recordId", record.recordId()),
                keep(allowed, "givenName", record.givenName()),
                keep(allowed, "familyName", record.familyName()),
                keep(allowed, "aliases", record.aliases()),
                keep(allowed, "dateOfBirth", record.dateOfBirth()),
                keep(allowed, "gender", record.gender()),
                keep(allowed, "languages", record.languages()),
                keep(allowed, "address", record.address()),
                keep(allowed, "addressHistory", record.addressHistory()),
                keep(allowed, "legalStatus", record.legalStatus()),
                keep(allowed, "concernCategories", record.concernCategories()),
                keep(allowed, "registration", record.registration()),
                keep(allowed, "registrationHistory", record.registrationHistory()),
                keep(allowed, "meetings", record.meetings()),
                keep(allowed, "enquiryHistory", record.enquiryHistory()),
                keep(allowed, "referrals", record.referrals()),
                allowed.contains(CanonicalFields.RELATIONSHIPS) ? relationships(record.relationships(), allowed) : null,
                keep(allowed, "lookedAfterIndicator", record.lookedAfterIndicator()),
                keep(allowed, "ethnicity", record.ethnicity()),
                keep(allowed, "healthNotes", record.healthNotes()),
                keep(allowed, "concernDetails", record.concernDetails()),
                keep(allowed, CanonicalFields.SHIELDED, record.shielded()));
    }

    private static <T> T keep(Set<String> allowed, String field, T value) {
        return allowed.contains(field) ? value : null;
    }

    private static List<Relationship> relationships(List<Relationship> relationships, Set<String> allowed) {
        if (relationships == null) {
            return null;
        }
        boolean concern = allowed.contains(CanonicalFields.RELATIONSHIP_CONCERN);
        boolean scheduleOne = allowed.contains(CanonicalFields.RELATIONSHIP_SCHEDULE_ONE);
        if (concern && scheduleOne) {
            return relationships;
        }
        List<Relationship> kept = new ArrayList<>(relationships.size());
        for (Relationship r : relationships) {
            kept.add(new Relationship(r.name(), r.relationship(),
                    concern ? r.concernIndicator() : null,
                    scheduleOne ? r.scheduleOneIndicator() : null));
        }
        return kept;
    }
}
