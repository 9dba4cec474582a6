package uk.wycps.connector;

import java.util.LinkedHashSet;
import java.util.Set;
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.ChildRecord;

/**
 * The one check every dialect makes on a record a register answered: it has a record id of at
 * most {@link #MAX_LENGTH} characters (without it a record can be neither linked nor audited, and
 * an unbounded one would be carried into every audit line).
 */
public final class RecordIds {

    /** The longest record id the gateway accepts from any register. */
    public static final int MAX_LENGTH = 64;

    private RecordIds() {
    }

    /**
     * {@code record}, or a {@link RegisterFailure} of kind ERROR when its id is missing, blank,
     * too long, or holds a control character: an id goes into the audit (a NUL, which PostgreSQL
     * refuses in text, failed the whole group commit, so every enquiry in it got 503) and into
     * log lines.
     */
    public static ChildRecord require(ChildRecord record) {
        String id = record == null ? null : record.recordId();
        if (id == null || id.isBlank() || id.length() > MAX_LENGTH || id.chars().anyMatch(Character::isISOControl)) {
            throw RegisterFailure.error("answer has a record without a valid recordId");
        }
        return record;
    }

    /** The requested fields plus {@code recordId}, in the order asked. */
    public static Set<String> withRecordId(Set<String> fields) {
        Set<String> keep = new LinkedHashSet<>(fields);
        keep.add(CanonicalFields.RECORD_ID);
        return keep;
    }
}
