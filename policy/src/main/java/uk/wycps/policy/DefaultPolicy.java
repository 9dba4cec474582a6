package uk.wycps.policy;

import java.util.Set;

/**
 * The walking skeleton's entry point to the default policy (the document shipped as
 * {@link PolicyLoader#DEFAULT_RESOURCE}), over the configured authorities.
 *
 * @deprecated use {@link PolicyLoader#loadDefault(Set, Set)}, which also checks the document
 *     against the canonical record's fields and the configured registers against the policy.
 */
@Deprecated
public final class DefaultPolicy {

    public static final String SCHEDULE_ONE_FIELD = "relationships[].scheduleOneIndicator";

    private DefaultPolicy() {
    }

    /**
     * The default document with {@code authorities} as the federation's authorities (as the
     * skeleton did); its fields are checked for form only.
     */
    public static SharingPolicy create(Set<String> authorities) {
        return new ProtocolPolicy(PolicyLoader.defaultDocument(null).withAuthorities(authorities));
    }
}
