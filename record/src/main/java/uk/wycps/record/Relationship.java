package uk.wycps.record;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A family member or other person linked to the child (M3). {@code concernIndicator} is
 * SENSITIVE; {@code scheduleOneIndicator} (M8) goes only to authorised social services (A6).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Relationship(
        String name,
        String relationship,
        Boolean concernIndicator,
        Boolean scheduleOneIndicator) {
}
