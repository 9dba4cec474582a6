package uk.wycps.linkage;

import java.util.Objects;
import uk.wycps.record.ChildRecord;

/** A candidate record and the authority whose register it came from. */
public record SourcedRecord(String authority, ChildRecord record) {

    public SourcedRecord {
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(record, "record");
    }
}
