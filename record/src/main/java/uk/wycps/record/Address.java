package uk.wycps.record;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A postal address; {@code authority} is the local authority it lies in, when known. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Address(String line1, String town, String postcode, String authority) {
}
