package uk.wycps.gateway.audit;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import uk.wycps.record.SearchCriteria;
import uk.wycps.policy.Agency;
import uk.wycps.policy.Caller;
import uk.wycps.policy.Role;

/** Realistic audit entries for tests: a Leeds child worker's answered enquiry, numbered. */
public final class AuditEntries {

    private AuditEntries() {
    }

    public static AuditEntry answered(int i, Instant at) {
        Caller caller = new Caller("worker-" + (i % 50), Role.CHILD_WORKER, Agency.SOCIAL_SERVICES, "leeds",
                Set.of("cross-authority:bradford"));
        return new AuditEntry("enquiry-" + i, at, "corr-" + i, caller, AuditEntry.ANSWERED, "register-check",
                "Referral from school nurse", "not-sought:authorised-register-check",
                new SearchCriteria("Aisha", "Khan", null, null, null, null, null),
                List.of(new AuditEntry.RegisterAnswer("leeds", "OK"), new AuditEntry.RegisterAnswer("bradford", "OK")),
                List.of(new AuditEntry.Released("leeds", String.format("LE-%06d", i % 500), "SENSITIVE")), List.of(),
                "wycps-default@1");
    }

    public static AuditEntry answered(int i) {
        return answered(i, Instant.parse("2026-11-01T10:00:00Z").plusSeconds(i));
    }
}
