package uk.wycps.gateway.enquiry;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import uk.wycps.record.ChildRecord;

/** The body of a 200 answer to an enquiry, exactly as API.md names its parts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnquiryAnswer(
        String enquiryId,
        boolean complete,
        String outcome,
        List<String> moreDetail,
        List<RegisterView> registers,
        List<PersonView> persons) {

    public static final String FOUND = "found";
    public static final String NONE_FOUND = "none-found";
    public static final String NOT_ALL_CHECKED = "not-all-checked";
    public static final String MORE_DETAIL_NEEDED = "more-detail-needed";

    /** One register's part: its status and, unless it was checked, a notice in plain words. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RegisterView(String authority, String status, Long latencyMs, String notice) {
    }

    /** One person: records linked across registers, with the match band and explanation. */
    public record PersonView(String band, double score, List<RecordView> records, List<ExplanationView> explanation) {
    }

    /** One register's record of the person, stripped to the caller's tier. */
    public record RecordView(String authority, String recordId, String tier, ChildRecord data, List<String> withheld) {
    }

    public record ExplanationView(String field, String level, double weight) {
    }
}
