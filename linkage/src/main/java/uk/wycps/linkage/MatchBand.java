package uk.wycps.linkage;

/** How sure a link is (F4). Only {@link #MATCH} edges merge records into one person. */
public enum MatchBand {
    MATCH, POSSIBLE
}
