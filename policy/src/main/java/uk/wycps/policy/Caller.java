package uk.wycps.policy;

import java.util.Objects;
import java.util.Set;

/**
 * Who is asking, as the verified token says (A2). {@code authority} is the caller's home local
 * authority, or null for staff of agencies not tied to one. {@code authorisations} are the
 * token's explicit grants: {@code cross-authority:<authority>}, {@code cross-authority:*},
 * {@code schedule-one}.
 */
public record Caller(String subject, Role role, Agency agency, String authority, Set<String> authorisations) {

    public static final String SCHEDULE_ONE = "schedule-one";
    public static final String CROSS_AUTHORITY_PREFIX = "cross-authority:";
    public static final String CROSS_AUTHORITY_ALL = "cross-authority:*";

    public Caller {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(agency, "agency");
        authorisations = authorisations == null ? Set.of() : Set.copyOf(authorisations);
    }

    /** True when the token grants access to {@code authority}'s records (A4). */
    public boolean grantedCrossAuthority(String sourceAuthority) {
        return authorisations.contains(CROSS_AUTHORITY_ALL)
                || authorisations.contains(CROSS_AUTHORITY_PREFIX + sourceAuthority);
    }

    public boolean grantedScheduleOne() {
        return authorisations.contains(SCHEDULE_ONE);
    }
}
