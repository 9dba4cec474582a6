package uk.wycps.policy;

import java.util.Optional;

/** The nine roles of the protocol's "list of staff that may need to share information" (A2). */
public enum Role implements Codes.Coded {
    CP_COORDINATOR("cp-coordinator"),
    SENIOR_MANAGER("senior-manager"),
    ADMIN_STAFF("admin-staff"),
    MANAGER_CHILD_WORKERS("manager-child-workers"),
    CHILD_WORKER("child-worker"),
    PERPETRATOR_WORKER("perpetrator-worker"),
    REFERRER("referrer"),
    CONFERENCE_CHAIR("conference-chair"),
    PERFORMANCE_QUALITY("performance-quality");

    private final String code;

    Role(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    public static Optional<Role> fromCode(String code) {
        return Codes.find(Role.class, code);
    }
}
