package uk.wycps.connector;

import java.util.Objects;
import java.util.Set;
import uk.wycps.record.SearchCriteria;

/**
 * One search of one register: the criteria, the canonical field paths the caller may receive
 * from this register (A5: the register is asked for nothing more), and the deadline.
 * {@code enquiryId} lets a register correlate; no caller header is ever passed on.
 */
public record SearchRequest(SearchCriteria criteria, Set<String> fields, Deadline deadline, String enquiryId) {

    public SearchRequest {
        Objects.requireNonNull(criteria, "criteria");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(enquiryId, "enquiryId");
        fields = Set.copyOf(fields);
    }

    /** The same search with another deadline (the guard's watched one). */
    public SearchRequest withDeadline(Deadline other) {
        return new SearchRequest(criteria, fields, other, enquiryId);
    }
}
