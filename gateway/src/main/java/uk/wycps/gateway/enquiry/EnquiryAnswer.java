package uk.wycps.gateway.enquiry;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import uk.wycps.gateway.config.RegisterContact;
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

    /**
     * One register's part: its status and, unless it was checked, a notice in plain words; and
     * whom to call there (F6) when it holds a record in this answer or is {@code WITHHELD} (then
     * the same with or without a match, A9).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RegisterView(String authority, String status, Long latencyMs, String notice, RegisterContact contact) {
    }

    /** One person: records linked across registers, with the match band and explanation. */
    public record PersonView(String band, double score, List<RecordView> records, List<ExplanationView> explanation) {
    }

    /**
     * One register's record of the person, stripped to the caller's tier. {@code shielded} is true
     * (and absent otherwise) for a record its owning authority shields (A10); {@code notice} then
     * says in plain words where its location went and whom to contact, as it does for a record
     * whose location is withheld because it is linked with a shielded one.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RecordView(String authority, String recordId, String tier, ChildRecord data, List<String> withheld,
            Boolean shielded, String notice) {
    }

    public record ExplanationView(String field, String level, double weight) {
    }
}
