package uk.wycps.gateway.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * Whom a practitioner calls at an authority for advice (F6; the protocol's "contact details for
 * staff who can provide advice / support"): the team, its office-hours telephone, the
 * out-of-hours emergency duty telephone and a secure email. Configured per register
 * ({@code registers[].contact}), validated at start-up, returned in answers as configured.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegisterContact(String team, String officeHours, String outOfHours, String email) {

    public RegisterContact {
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(officeHours, "officeHours");
        Objects.requireNonNull(outOfHours, "outOfHours");
        Objects.requireNonNull(email, "email");
    }
}
