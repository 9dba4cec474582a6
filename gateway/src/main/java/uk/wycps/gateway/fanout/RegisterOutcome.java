package uk.wycps.gateway.fanout;

import java.util.List;
import uk.wycps.record.ChildRecord;

/**
 * What one register gave for one enquiry: its status, how long it took, its candidate records
 * (empty unless {@link RegisterStatus#OK}), and for a failure a short reason safe to log.
 */
public record RegisterOutcome(String authority, RegisterStatus status, long latencyMs, List<ChildRecord> records,
        String reason) {

    public RegisterOutcome {
        records = List.copyOf(records);
    }

    public boolean checked() {
        return status == RegisterStatus.OK;
    }
}
