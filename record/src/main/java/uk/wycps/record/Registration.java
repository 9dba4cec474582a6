package uk.wycps.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;

/**
 * A child protection registration (M4): {@code status} is {@code active} or {@code ended};
 * {@code end} is null while active.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Registration(String status, ConcernCategory category, LocalDate start, LocalDate end) {

    public static final String ACTIVE = "active";
    public static final String ENDED = "ended";
}
