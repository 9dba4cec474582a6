package uk.wycps.connector;

import java.util.Objects;
import uk.wycps.record.EnquiryHistoryEntry;

/** One enquiry-history entry for one of the register's records (H3), as a batch carries it. */
public record HistoryDelivery(String recordId, EnquiryHistoryEntry entry) {

    public HistoryDelivery {
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(entry, "entry");
    }
}
