package uk.wycps.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * Who is being looked for: the enquiry's subject after validation. {@code familyName} is always
 * present, with at least one of {@code givenName} or {@code dateOfBirth}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SearchCriteria(
        String givenName,
        String familyName,
        List<String> otherGivenNames,
        List<PersonName> aliases,
        LocalDate dateOfBirth,
        Gender gender,
        String postcode) {

    public SearchCriteria {
        Objects.requireNonNull(familyName, "familyName");
        otherGivenNames = otherGivenNames == null ? List.of() : List.copyOf(otherGivenNames);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }
}
