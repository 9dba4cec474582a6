package uk.wycps.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One entry of a register's history of enquiries (M6, H3, A9): who asked about this child,
 * from where, why and on what consent basis. {@code entryId} makes delivery idempotent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnquiryHistoryEntry(
        String entryId,
        String enquiryId,
        Instant at,
        String subject,
        String role,
        String agency,
        String authority,
        String purpose,
        String consentBasis) {
}
