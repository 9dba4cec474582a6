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
}
