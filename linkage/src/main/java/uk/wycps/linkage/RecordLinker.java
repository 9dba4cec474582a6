package uk.wycps.linkage;

import java.util.List;
import uk.wycps.record.SearchCriteria;

/**
 * Scores register candidates against an enquiry's subject, drops those that do not match, and
 * links the rest across registers into persons (F4). Pure computation, thread-safe, and never
 * logs personal data.
 */
public interface RecordLinker {

    LinkageResult link(SearchCriteria subject, List<SourcedRecord> candidates);

    /**
     * Whether {@link #link} would keep {@code candidate} for {@code subject}: each candidate is
     * judged against the subject alone, so this is known before linking (for instance, whether
     * the answer will hold a shielded record).
     */
    boolean discloses(SearchCriteria subject, uk.wycps.record.ChildRecord candidate);
}
