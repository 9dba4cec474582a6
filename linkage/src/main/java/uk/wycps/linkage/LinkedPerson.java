package uk.wycps.linkage;

import java.util.List;

/**
 * Records from different registers taken to be one child (F4): never two records of the same
 * register. {@code band} and {@code score} say how well the person matches the enquiry;
 * {@code explanation} gives each field's comparison level and weight.
 */
public record LinkedPerson(MatchBand band, double score, List<SourcedRecord> records, List<FieldComparison> explanation) {

    public LinkedPerson {
        records = List.copyOf(records);
        explanation = List.copyOf(explanation);
    }
}
