package uk.wycps.gateway.enquiry;

import java.util.List;
import java.util.Objects;
import uk.wycps.record.SearchCriteria;
import uk.wycps.policy.Declaration;

/** A validated enquiry: who is looked for, why and on what consent, and in which registers. */
public record Enquiry(SearchCriteria subject, Declaration declaration, List<String> registers) {

    public Enquiry {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(declaration, "declaration");
        registers = List.copyOf(registers);
    }
}
