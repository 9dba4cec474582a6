package uk.wycps.record;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names of the canonical record's fields, as the policy classifies them (A5).
 *
 * <p>Derived from {@link ChildRecord}'s components, so a field added to the record appears here
 * at once and a policy that does not classify it is refused at load. The two indicators on
 * related persons are classified on their own, as {@code relationships[].<name>}.
 */
public final class CanonicalFields {

    public static final String RECORD_ID = "recordId";
    public static final String RELATIONSHIPS = "relationships";
    public static final String RELATIONSHIP_CONCERN = "relationships[].concernIndicator";
    public static final String RELATIONSHIP_SCHEDULE_ONE = "relationships[].scheduleOneIndicator";
    /** The mark of a record its owning authority shields (A10). */
    public static final String SHIELDED = "shielded";
    public static final String ADDRESS = "address";
    public static final String ADDRESS_HISTORY = "addressHistory";

    /**
     * The fields that would place the child: what a shielded record never releases outside its
     * owning authority (A10). The canonical record carries no school, GP or related person's
     * address; a field added to the record that places the child belongs here too, and the policy
     * loader then refuses a policy whose location class leaves it out.
     */
    private static final Set<String> LOCATION = Collections.unmodifiableSet(
            new LinkedHashSet<>(List.of(ADDRESS, ADDRESS_HISTORY)));

    private static final List<String> TOP_LEVEL = Arrays.stream(ChildRecord.class.getRecordComponents())
            .map(RecordComponent::getName)
            .toList();
    private static final Set<String> ALL;

    static {
        Set<String> all = new LinkedHashSet<>(TOP_LEVEL);
        all.add(RELATIONSHIP_CONCERN);
        all.add(RELATIONSHIP_SCHEDULE_ONE);
        ALL = Collections.unmodifiableSet(all);
    }

    private static final Map<Class<?>, Map<String, RecordComponent>> COMPONENTS = new ConcurrentHashMap<>();

    private CanonicalFields() {
    }

    /**
     * The components of a record type of the canonical model by name, in declaration order; what
     * the configurable dialects check their mappings against and fill from.
     */
    public static Map<String, RecordComponent> components(Class<?> type) {
        return COMPONENTS.computeIfAbsent(type, t -> {
            Map<String, RecordComponent> m = new LinkedHashMap<>();
            for (RecordComponent c : t.getRecordComponents()) {
                m.put(c.getName(), c);
            }
            return Collections.unmodifiableMap(m);
        });
    }

    /** Every classifiable field path, in record order. */
    public static Set<String> all() {
        return ALL;
    }

    /** The fields that place the child (A10), in record order. */
    public static Set<String> location() {
        return LOCATION;
    }

    /** The record's own components, in order. */
    public static List<String> topLevel() {
        return TOP_LEVEL;
    }
}
