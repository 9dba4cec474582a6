package uk.wycps.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;

/** A referral to children's social care (M6). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Referral(LocalDate date, String source, String reason) {
}
