package uk.wycps.policy;

/**
 * A policy document that cannot be used (O2): unreadable, not YAML, or breaking one of the
 * rules checked at load. The message names the file, the place in it (a path such as
 * {@code fields.entries.ethnicity.tier}, or a line and column) and the problem, so that start-up
 * stops with words an information governance lead can act on.
 */
public class PolicyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String place;
    private final String problem;

    public PolicyException(String source, String place, String problem) {
        this(source, place, problem, null);
    }

    public PolicyException(String source, String place, String problem, Throwable cause) {
        super("policy " + source + ": at " + place + ": " + problem, cause);
        this.source = source;
        this.place = place;
        this.problem = problem;
    }

    /** The file or resource the policy was read from. */
    public String source() {
        return source;
    }

    /** Where in the document: a dotted path, or a line and column. */
    public String place() {
        return place;
    }

    /** What is wrong, in plain words. */
    public String problem() {
        return problem;
    }
}
