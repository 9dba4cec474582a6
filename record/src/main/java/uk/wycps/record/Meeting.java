package uk.wycps.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;

/** A child protection meeting or conference (M5). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Meeting(LocalDate date, String type, String outcome) {
}
