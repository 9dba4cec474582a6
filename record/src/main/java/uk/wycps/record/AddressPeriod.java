package uk.wycps.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;

/** One past or present address with the dates the child lived there (M1). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AddressPeriod(Address address, LocalDate from, LocalDate to) {
}
