package uk.wycps.gateway.fanout;

import java.util.List;
import uk.wycps.connector.proof.AnswerProof;
import uk.wycps.record.ChildRecord;

/**
 * What one register gave for one enquiry: its status, how long it took, its candidate records
 * (empty unless {@link RegisterStatus#OK}), for a failure a short reason safe to log, and for a
 * register that signs its answers the proof of what it said (null otherwise).
 */
public record RegisterOutcome(String authority, RegisterStatus status, long latencyMs, List<ChildRecord> records,
        String reason, AnswerProof proof) {

    public RegisterOutcome {
        records = List.copyOf(records);
    }

    /** An outcome without a signed answer. */
    public RegisterOutcome(String authority, RegisterStatus status, long latencyMs, List<ChildRecord> records,
            String reason) {
        this(authority, status, latencyMs, records, reason, null);
    }

    public boolean checked() {
        return status == RegisterStatus.OK;
    }
}
