package uk.wycps.record;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A name a child is or was known by (an alias, M1). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PersonName(String givenName, String familyName) {
}
