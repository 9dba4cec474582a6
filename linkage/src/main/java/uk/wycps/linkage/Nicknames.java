package uk.wycps.linkage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The given-name equivalence table (Bill/William, Kasia/Katarzyna, ...), read once from a
 * resource of lines {@code canonical: variant, variant}. Two names are nickname-equivalent when
 * their sets of canonical names meet ({@link #canonicals(String)}).
 */
public final class Nicknames {

    /** The table shipped in this module. */
    public static final String DEFAULT_RESOURCE = "/uk/wycps/linkage/nicknames.txt";

    private static final String[] NONE = new String[0];

    private final Map<String, String[]> canonicals;

    private Nicknames(Map<String, String[]> canonicals) {
        this.canonicals = canonicals;
    }

    public static Nicknames empty() {
        return new Nicknames(Map.of());
    }

    public static Nicknames defaults() {
        return fromResource(DEFAULT_RESOURCE);
    }

    public static Nicknames fromResource(String resource) {
        try (InputStream in = Nicknames.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("nickname table not found: " + resource);
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read nickname table " + resource, e);
        }
    }

    static Nicknames parse(InputStream in) throws IOException {
        Map<String, Set<String>> sets = new HashMap<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            int colon = t.indexOf(':');
            if (colon <= 0) {
                throw new IllegalStateException("nickname table line " + n + ": expected 'canonical: variants'");
            }
            String canonical = NameNormaliser.compact(t.substring(0, colon));
            sets.computeIfAbsent(canonical, k -> new LinkedHashSet<>()).add(canonical);
            for (String v : t.substring(colon + 1).split(",")) {
                String variant = NameNormaliser.compact(v);
                if (!variant.isEmpty()) {
                    sets.computeIfAbsent(variant, k -> new LinkedHashSet<>()).add(canonical);
                }
            }
        }
        Map<String, String[]> map = new HashMap<>();
        sets.forEach((k, v) -> map.put(k, v.toArray(NONE)));
        return new Nicknames(map);
    }

    /**
     * The canonical names a compact, normalised given name stands for, itself included when it is
     * in the table; empty when it is not in the table.
     */
    public String[] canonicals(String compactName) {
        Objects.requireNonNull(compactName, "compactName");
        return canonicals.getOrDefault(compactName, NONE);
    }

    /** Whether two given names are equivalent through the table (a name is not its own nickname here). */
    public boolean equivalent(String a, String b) {
        return meet(canonicals(NameNormaliser.compact(a)), canonicals(NameNormaliser.compact(b)));
    }

    static boolean meet(String[] a, String[] b) {
        for (String x : a) {
            for (String y : b) {
                if (x.equals(y)) {
                    return true;
                }
            }
        }
        return false;
    }

    int size() {
        return canonicals.size();
    }

    List<String> names() {
        return new ArrayList<>(canonicals.keySet());
    }
}
