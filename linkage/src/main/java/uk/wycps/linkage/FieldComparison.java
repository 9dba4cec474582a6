package uk.wycps.linkage;

/**
 * One field's part in a score: the comparison level reached (e.g. {@code exact},
 * {@code day-month-swapped}, {@code jaro-winkler-high}, {@code missing}) and its weight.
 */
public record FieldComparison(String field, String level, double weight) {
}
