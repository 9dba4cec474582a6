package uk.wycps.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import uk.wycps.policy.PolicyDocument.AgencyEntry;
import uk.wycps.policy.PolicyDocument.Authorities;
import uk.wycps.policy.PolicyDocument.ConsentRule;
import uk.wycps.policy.PolicyDocument.CrossAuthorityRule;
import uk.wycps.policy.PolicyDocument.FieldEntry;
import uk.wycps.policy.PolicyDocument.PurposeEntry;
import uk.wycps.policy.PolicyDocument.Restriction;
import uk.wycps.policy.PolicyDocument.RoleEntry;
import uk.wycps.policy.PolicyDocument.Rule;
import uk.wycps.policy.PolicyDocument.Scope;
import uk.wycps.policy.PolicyDocument.Section;
import uk.wycps.policy.PolicyDocument.ShieldingRule;

/**
 * Reads and validates a policy document (YAML, or JSON) and makes it a {@link SharingPolicy}.
 *
 * <p>Validation at load (O2): a missing id, version or effective date; an unknown key, field,
 * tier, role, agency, purpose, consent code or authorisation; a duplicate key, list entry or rule
 * id; a canonical field left unclassified; a configured register authority the policy does not
 * know: each throws a {@link PolicyException} naming the file, the place and the problem.
 * Reading the document is the only I/O this module does.
 */
public final class PolicyLoader {

    /** The classpath resource of the default policy. */
    public static final String DEFAULT_RESOURCE = "/uk/wycps/policy/default-policy.yaml";

    private static final Pattern AUTHORITY_NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");
    private static final Pattern RULE_ID = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final Pattern REQUIREMENT_ID = Pattern.compile("[A-Z][0-9]{1,2}");
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z.+-]{1,32}");
    private static final String NESTED = "[].";

    /**
     * The canonical record's fields that place the child ({@code CanonicalFields.location()} in
     * the record module, which this module's main code does not depend on; a test keeps the two
     * equal). A policy whose location class leaves one out is refused: shielding cannot be
     * weakened by omission (A10).
     */
    public static final Set<String> RECORD_LOCATION_FIELDS = Set.of("address", "addressHistory");
    /** The record's shielded mark: classified at the lowest field tier, so whoever sees a record sees the mark. */
    public static final String SHIELDED_FIELD = "shielded";

    private PolicyLoader() {
    }

    /**
     * The default policy shipped with this module, checked against {@code canonicalFields} (every
     * field classified, no other).
     *
     * @throws PolicyException if the document does not hold
     */
    public static ProtocolPolicy loadDefault(Set<String> canonicalFields) {
        return new ProtocolPolicy(defaultDocument(canonicalFields));
    }

    /**
     * The policy in {@code file}, checked against {@code canonicalFields}.
     *
     * @throws PolicyException if the file cannot be read or does not hold
     */
    public static ProtocolPolicy load(Path file, Set<String> canonicalFields) {
        return new ProtocolPolicy(readDocument(file, canonicalFields));
    }

    /**
     * As {@link #load(Path, Set)}, and checks that every register the gateway is configured with
     * is an authority of the policy (O2): a register the policy does not know would get nothing,
     * silently.
     */
    public static ProtocolPolicy load(Path file, Set<String> canonicalFields, Set<String> registerAuthorities) {
        PolicyDocument doc = readDocument(file, canonicalFields);
        requireAuthorities(file.toString(), doc, registerAuthorities);
        return new ProtocolPolicy(doc);
    }

    /** As {@link #loadDefault(Set)}, and checks the configured register authorities (O2). */
    public static ProtocolPolicy loadDefault(Set<String> canonicalFields, Set<String> registerAuthorities) {
        PolicyDocument doc = defaultDocument(canonicalFields);
        requireAuthorities(DEFAULT_RESOURCE, doc, registerAuthorities);
        return new ProtocolPolicy(doc);
    }

    /** The validated document in {@code file}. */
    public static PolicyDocument readDocument(Path file, Set<String> canonicalFields) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(canonicalFields, "canonicalFields");
        String source = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PolicyException(source, "(file)", "cannot be read: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
        return parse(source, bytes, canonicalFields);
    }

    /**
     * The default document; with {@code canonicalFields} null the fields are checked for form only
     * (the walking skeleton's {@link DefaultPolicy#create(Set)}, which has no field list).
     */
    static PolicyDocument defaultDocument(Set<String> canonicalFields) {
        try (InputStream in = PolicyLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new PolicyException("classpath:" + DEFAULT_RESOURCE, "(file)", "not found on the classpath");
            }
            return parse("classpath:" + DEFAULT_RESOURCE, in.readAllBytes(), canonicalFields);
        } catch (IOException e) {
            throw new PolicyException("classpath:" + DEFAULT_RESOURCE, "(file)", "cannot be read", e);
        }
    }

    /** Parses and validates a document read from {@code source}. */
    public static PolicyDocument parse(String source, byte[] content, Set<String> canonicalFields) {
        return new Reader(source, canonicalFields).document(content);
    }

    private static void requireAuthorities(String source, PolicyDocument doc, Set<String> registerAuthorities) {
        for (String a : new java.util.TreeSet<>(registerAuthorities)) {
            if (!doc.authorities().names().contains(a)) {
                throw new PolicyException(source, "authorities.names", "the gateway is configured with a register for"
                        + " authority '" + a + "', which the policy does not know (known: "
                        + String.join(", ", doc.authorities().names()) + ")");
            }
        }
    }

    /** One pass over one document, remembering where it is for its messages. */
    private static final class Reader {

        private final String source;
        private final Set<String> canonicalFields;
        private final Map<String, String> ruleIds = new HashMap<>();

        Reader(String source, Set<String> canonicalFields) {
            this.source = source;
            this.canonicalFields = canonicalFields;
        }

        PolicyDocument document(byte[] content) {
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
            JsonNode root;
            try {
                root = yaml.readTree(content);
            } catch (JsonProcessingException e) {
                throw new PolicyException(source, where(e.getLocation()), problemOf(e), e);
            } catch (IOException e) {
                throw new PolicyException(source, "(file)", "cannot be read", e);
            }
            if (root == null || root.isMissingNode() || root.isNull()) {
                throw fail("(document)", "is empty: a policy needs at least id, version and effectiveDate");
            }
            object(root, "(document)");
            keys(root, "", List.of("id", "version", "effectiveDate", "authorities", "roles", "agencies", "fields",
                    "purposes", "consent", "crossAuthority", "shielding"), List.of("protocol"));
            String id = text(root, "", "id");
            if (!RULE_ID.matcher(id).matches()) {
                throw fail("id", "'" + id + "' is not a policy id (lower-case letters, digits and '-')");
            }
            String version = text(root, "", "version");
            if (!VERSION.matcher(version).matches()) {
                throw fail("version", "'" + version + "' is not a version (letters, digits, '.', '+', '-')");
            }
            String date = text(root, "", "effectiveDate");
            LocalDate effective;
            try {
                effective = LocalDate.parse(date);
            } catch (DateTimeParseException e) {
                throw fail("effectiveDate", "'" + date + "' is not a date (expected YYYY-MM-DD)");
            }
            String protocol = root.has("protocol") ? text(root, "", "protocol") : null;

            Authorities authorities = authorities(root.get("authorities"), "authorities");
            Section<Role, RoleEntry> roles = section(root.get("roles"), "roles", "role",
                    code -> Role.fromCode(code), Arrays.stream(Role.values()).map(Role::code).toList(),
                    (n, p) -> new RoleEntry(tierAt(n, p, "maxTier"), optionalText(n, p, "why")),
                    List.of("maxTier"), List.of("why"));
            Section<Agency, AgencyEntry> agencies = section(root.get("agencies"), "agencies", "agency",
                    code -> Agency.fromCode(code), Arrays.stream(Agency.values()).map(Agency::code).toList(),
                    (n, p) -> new AgencyEntry(tierAt(n, p, "maxTier"), optionalText(n, p, "why")),
                    List.of("maxTier"), List.of("why"));
            Section<String, FieldEntry> fields = fields(root.get("fields"), "fields");
            Section<Purpose, PurposeEntry> purposes = section(root.get("purposes"), "purposes", "purpose",
                    code -> Purpose.fromCode(code), Arrays.stream(Purpose.values()).map(Purpose::code).toList(),
                    this::purpose, List.of("permits"), List.of("rule"));
            ConsentRule consent = consent(root.get("consent"), "consent");
            CrossAuthorityRule cross = crossAuthority(root.get("crossAuthority"), "crossAuthority");
            ShieldingRule shielding = shielding(root.get("shielding"), "shielding", fields, cross);
            return new PolicyDocument(id, version, effective, protocol, authorities, roles, agencies, fields,
                    purposes, consent, cross, shielding);
        }

        // ---- sections ------------------------------------------------------------------------

        private Authorities authorities(JsonNode node, String path) {
            object(node, path);
            keys(node, path, List.of("rule", "names"), List.of());
            Rule rule = rule(node.get("rule"), path + ".rule");
            List<String> names = new ArrayList<>();
            for (Indexed item : list(node, path, "names")) {
                String name = item.text(this);
                if (!AUTHORITY_NAME.matcher(name).matches()) {
                    throw fail(item.path, "'" + name + "' is not an authority name (lower-case letters, digits and '-',"
                            + " e.g. 'leeds')");
                }
                noDuplicate(names, name, item.path, "authority");
                names.add(name);
            }
            if (names.isEmpty()) {
                throw fail(path + ".names", "lists no authority: a policy for no register shares nothing");
            }
            return new Authorities(rule, names);
        }

        private interface EntryReader<V> {
            V read(JsonNode node, String path);
        }

        private <K, V> Section<K, V> section(JsonNode node, String path, String kind, Function<String, Optional<K>> lookup,
                List<String> known, EntryReader<V> entry, List<String> required, List<String> optional) {
            object(node, path);
            keys(node, path, List.of("rule", "entries"), List.of());
            Rule rule = rule(node.get("rule"), path + ".rule");
            JsonNode entries = node.get("entries");
            object(entries, path + ".entries");
            Map<K, V> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = path + ".entries." + e.getKey();
                K key = lookup.apply(e.getKey()).orElseThrow(() -> fail(p,
                        "unknown " + kind + " '" + e.getKey() + "' (known: " + String.join(", ", known) + ")"));
                object(e.getValue(), p);
                keys(e.getValue(), p, required, optional);
                map.put(key, entry.read(e.getValue(), p));
            }
            if (map.isEmpty()) {
                throw fail(path + ".entries", "is empty: nobody would get anything");
            }
            return new Section<>(rule, map);
        }

        private PurposeEntry purpose(JsonNode node, String path) {
            String permits = text(node, path, "permits");
            Scope scope = Arrays.stream(Scope.values()).filter(s -> s.code().equals(permits)).findFirst()
                    .orElseThrow(() -> fail(path + ".permits", "unknown scope '" + permits
                            + "' (known: person-level, statistics-only)"));
            Rule rule = node.has("rule") ? rule(node.get("rule"), path + ".rule") : null;
            return new PurposeEntry(scope, rule);
        }

        private Section<String, FieldEntry> fields(JsonNode node, String path) {
            object(node, path);
            keys(node, path, List.of("rule", "entries"), List.of());
            Rule rule = rule(node.get("rule"), path + ".rule");
            JsonNode entries = node.get("entries");
            object(entries, path + ".entries");
            Map<String, FieldEntry> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = e.getKey();
                String p = path + ".entries." + name;
                if (canonicalFields != null && !canonicalFields.contains(name)) {
                    throw fail(p, "unknown field '" + name + "': not a field of the canonical record (known: "
                            + String.join(", ", canonicalFields) + ")");
                }
                if (canonicalFields == null && !name.matches("[a-z][A-Za-z0-9]*(\\[\\]\\.[a-z][A-Za-z0-9]*)?")) {
                    throw fail(p, "'" + name + "' is not a field path (e.g. 'givenName' or 'relationships[].concernIndicator')");
                }
                int nested = name.indexOf(NESTED);
                if (nested > 0 && !map.containsKey(name.substring(0, nested))) {
                    throw fail(p, "nested field '" + name + "' must come after its parent '"
                            + name.substring(0, nested) + "'");
                }
                JsonNode f = e.getValue();
                object(f, p);
                keys(f, p, List.of("tier", "requirement"), List.of("indicatorOnly", "note", "onlyFor"));
                Tier tier = tierAt(f, p, "tier");
                if (tier == Tier.ANONYMISED) {
                    throw fail(p + ".tier", "a field of the record cannot be ANONYMISED: anonymised callers get no"
                            + " person-level data at all (A5, A9); use PERSONAL or SENSITIVE");
                }
                if (nested > 0 && map.get(name.substring(0, nested)).tier().compareTo(tier) > 0) {
                    throw fail(p + ".tier", "'" + name + "' is " + tier + " but its parent is "
                            + map.get(name.substring(0, nested)).tier() + ": a nested field cannot be less protected");
                }
                String requirement = requirement(f, p);
                boolean indicatorOnly = false;
                if (f.has("indicatorOnly")) {
                    if (!f.get("indicatorOnly").isBoolean()) {
                        throw fail(p + ".indicatorOnly", "must be true or false");
                    }
                    indicatorOnly = f.get("indicatorOnly").booleanValue();
                }
                Rule note = f.has("note") ? rule(f.get("note"), p + ".note") : null;
                Restriction only = f.has("onlyFor") ? restriction(f.get("onlyFor"), p + ".onlyFor") : null;
                map.put(name, new FieldEntry(tier, requirement, indicatorOnly, note, only));
            }
            if (canonicalFields != null) {
                List<String> missing = canonicalFields.stream().filter(c -> !map.containsKey(c)).toList();
                if (!missing.isEmpty()) {
                    throw fail(path + ".entries", "canonical field" + (missing.size() > 1 ? "s " : " ")
                            + String.join(", ", missing) + (missing.size() > 1 ? " are" : " is")
                            + " not classified: every field of the record needs a tier (A5)");
                }
            }
            return new Section<>(rule, map);
        }

        private Restriction restriction(JsonNode node, String path) {
            object(node, path);
            keys(node, path, List.of("rule", "agencies"), List.of("authorisation"));
            Rule rule = rule(node.get("rule"), path + ".rule");
            Set<Agency> agencies = EnumSet.noneOf(Agency.class);
            for (Indexed item : list(node, path, "agencies")) {
                agencies.add(agency(item));
            }
            if (agencies.isEmpty()) {
                throw fail(path + ".agencies", "lists no agency: the field would go to nobody; remove it from the"
                        + " record instead");
            }
            String authorisation = node.has("authorisation") ? text(node, path, "authorisation") : null;
            if (authorisation != null && !authorisation.equals(Caller.SCHEDULE_ONE)
                    && !authorisation.startsWith(Caller.CROSS_AUTHORITY_PREFIX)) {
                throw fail(path + ".authorisation", "unknown authorisation '" + authorisation + "' (known: "
                        + Caller.SCHEDULE_ONE + ", " + Caller.CROSS_AUTHORITY_PREFIX + "<authority>)");
            }
            return new Restriction(rule, agencies, authorisation);
        }

        private ConsentRule consent(JsonNode node, String path) {
            object(node, path);
            keys(node, path, List.of("rule", "statuses", "grounds", "refusedBy"), List.of());
            Rule rule = rule(node.get("rule"), path + ".rule");
            Set<ConsentStatus> statuses = codes(node, path, "statuses", "consent status", ConsentStatus::fromCode,
                    Arrays.stream(ConsentStatus.values()).map(ConsentStatus::code).toList());
            Set<ConsentGround> grounds = codes(node, path, "grounds", "consent ground", ConsentGround::fromCode,
                    Arrays.stream(ConsentGround.values()).map(ConsentGround::code).toList());
            Set<RefusedBy> refusedBy = codes(node, path, "refusedBy", "refusing party", RefusedBy::fromCode,
                    Arrays.stream(RefusedBy.values()).map(RefusedBy::code).toList());
            if (statuses.isEmpty()) {
                throw fail(path + ".statuses", "lists no consent status: no enquiry could be made");
            }
            return new ConsentRule(rule, statuses, grounds, refusedBy);
        }

        private CrossAuthorityRule crossAuthority(JsonNode node, String path) {
            object(node, path);
            keys(node, path, List.of("ownAuthority", "granted", "otherwise"), List.of());
            JsonNode own = node.get("ownAuthority");
            object(own, path + ".ownAuthority");
            keys(own, path + ".ownAuthority", List.of("rule", "agencies"), List.of());
            Rule ownRule = rule(own.get("rule"), path + ".ownAuthority.rule");
            Set<Agency> ownAgencies = EnumSet.noneOf(Agency.class);
            for (Indexed item : list(own, path + ".ownAuthority", "agencies")) {
                ownAgencies.add(agency(item));
            }
            JsonNode granted = node.get("granted");
            object(granted, path + ".granted");
            keys(granted, path + ".granted", List.of("rule", "authorisations"), List.of());
            Rule grantRule = rule(granted.get("rule"), path + ".granted.rule");
            List<String> grants = new ArrayList<>();
            for (Indexed item : list(granted, path + ".granted", "authorisations")) {
                String g = item.text(this);
                String rest = g.startsWith(Caller.CROSS_AUTHORITY_PREFIX)
                        ? g.substring(Caller.CROSS_AUTHORITY_PREFIX.length()) : null;
                if (rest == null || !(rest.equals("*") || rest.equals(CrossAuthorityRule.AUTHORITY_PLACEHOLDER))) {
                    throw fail(item.path, "unknown authorisation '" + g + "' (known: cross-authority:{authority},"
                            + " cross-authority:*)");
                }
                noDuplicate(grants, g, item.path, "authorisation");
                grants.add(g);
            }
            JsonNode otherwise = node.get("otherwise");
            object(otherwise, path + ".otherwise");
            keys(otherwise, path + ".otherwise", List.of("rule", "tier"), List.of());
            Rule otherwiseRule = rule(otherwise.get("rule"), path + ".otherwise.rule");
            Tier tier = tierAt(otherwise, path + ".otherwise", "tier");
            if (tier != Tier.ANONYMISED) {
                throw fail(path + ".otherwise.tier", "is " + tier + ", but the protocol gives external professionals"
                        + " and other authorities' staff anonymised information only, unless authorised (A4)");
            }
            return new CrossAuthorityRule(ownRule, ownAgencies, grantRule, grants, otherwiseRule, tier);
        }

        private ShieldingRule shielding(JsonNode node, String path, Section<String, FieldEntry> fields,
                CrossAuthorityRule cross) {
            object(node, path);
            keys(node, path, List.of("rule", "locationFields", "owningAuthority", "linkedRecords"), List.of());
            Rule rule = rule(node.get("rule"), path + ".rule");
            Set<String> location = new LinkedHashSet<>();
            List<String> seen = new ArrayList<>();
            for (Indexed item : list(node, path, "locationFields")) {
                String f = item.text(this);
                noDuplicate(seen, f, item.path, "location field");
                seen.add(f);
                if (!fields.entries().containsKey(f)) {
                    throw fail(item.path, "unknown field '" + f + "': a location field must be a classified field"
                            + " of the record (classified: " + String.join(", ", fields.entries().keySet()) + ")");
                }
                if (f.equals(SHIELDED_FIELD)) {
                    throw fail(item.path, "'" + SHIELDED_FIELD + "' is the mark itself, not a location field");
                }
                location.add(f);
            }
            if (canonicalFields != null) {
                List<String> missing = RECORD_LOCATION_FIELDS.stream().filter(canonicalFields::contains)
                        .filter(f -> !location.contains(f)).sorted().toList();
                if (!missing.isEmpty()) {
                    throw fail(path + ".locationFields", "leaves out " + String.join(", ", missing)
                            + ", which place" + (missing.size() == 1 ? "s" : "") + " the child: a shielded record's"
                            + " location never leaves its owning authority (A10)");
                }
                FieldEntry mark = fields.entries().get(SHIELDED_FIELD);
                if (canonicalFields.contains(SHIELDED_FIELD) && mark != null && mark.tier() != Tier.PERSONAL) {
                    throw fail("fields.entries." + SHIELDED_FIELD + ".tier", "is " + mark.tier() + ", but whoever"
                            + " sees a record must see that it is shielded: the mark is PERSONAL (A10)");
                }
            }
            if (location.isEmpty()) {
                throw fail(path + ".locationFields", "lists no field: a shielded record would release its location"
                        + " (A10)");
            }
            String owningPath = path + ".owningAuthority";
            JsonNode owning = node.get("owningAuthority");
            object(owning, owningPath);
            keys(owning, owningPath, List.of("agencies", "tiers"), List.of());
            Set<Agency> agencies = EnumSet.noneOf(Agency.class);
            for (Indexed item : list(owning, owningPath, "agencies")) {
                Agency a = agency(item);
                if (!cross.ownAuthorityAgencies().contains(a)) {
                    throw fail(item.path, "agency '" + a.code() + "' is not an own-authority agency of"
                            + " crossAuthority.ownAuthority: only the owning authority's own staff may see a shielded"
                            + " child's location (A10)");
                }
                agencies.add(a);
            }
            Set<Tier> tiers = EnumSet.noneOf(Tier.class);
            List<String> seenTiers = new ArrayList<>();
            for (Indexed item : list(owning, owningPath, "tiers")) {
                String t = item.text(this);
                noDuplicate(seenTiers, t, item.path, "tier");
                seenTiers.add(t);
                Tier tier;
                try {
                    tier = Tier.valueOf(t);
                } catch (IllegalArgumentException e) {
                    throw fail(item.path, "unknown tier '" + t + "' (known: PERSONAL, SENSITIVE)");
                }
                if (tier == Tier.ANONYMISED) {
                    throw fail(item.path, "ANONYMISED callers see no record at all; name PERSONAL or SENSITIVE");
                }
                tiers.add(tier);
            }
            JsonNode linked = node.get("linkedRecords");
            object(linked, path + ".linkedRecords");
            keys(linked, path + ".linkedRecords", List.of("rule"), List.of());
            Rule linkedRule = rule(linked.get("rule"), path + ".linkedRecords.rule");
            return new ShieldingRule(rule, location, agencies, tiers, linkedRule);
        }

        // ---- pieces --------------------------------------------------------------------------

        private Rule rule(JsonNode node, String path) {
            object(node, path);
            keys(node, path, List.of("id", "requirement"), List.of("clause"));
            String id = text(node, path, "id");
            if (!RULE_ID.matcher(id).matches()) {
                throw fail(path + ".id", "'" + id + "' is not a rule id (lower-case letters, digits and '-')");
            }
            String earlier = ruleIds.putIfAbsent(id, path);
            if (earlier != null) {
                throw fail(path + ".id", "duplicate rule id '" + id + "': already used at " + earlier);
            }
            String requirement = requirement(node, path);
            String clause = node.has("clause") ? text(node, path, "clause") : null;
            return new Rule(id, requirement, clause);
        }

        private String requirement(JsonNode node, String path) {
            String r = text(node, path, "requirement");
            if (!REQUIREMENT_ID.matcher(r).matches()) {
                throw fail(path + ".requirement", "'" + r + "' is not a requirement id (e.g. A4, P2, M8)");
            }
            return r;
        }

        private Tier tierAt(JsonNode node, String path, String key) {
            String t = text(node, path, key);
            try {
                return Tier.valueOf(t);
            } catch (IllegalArgumentException e) {
                throw fail(path + "." + key, "unknown tier '" + t + "' (known: ANONYMISED, PERSONAL, SENSITIVE)");
            }
        }

        private Agency agency(Indexed item) {
            String code = item.text(this);
            return Agency.fromCode(code).orElseThrow(() -> fail(item.path, "unknown agency '" + code + "' (known: "
                    + Arrays.stream(Agency.values()).map(Agency::code).collect(Collectors.joining(", ")) + ")"));
        }

        private <E> Set<E> codes(JsonNode node, String path, String key, String kind,
                Function<String, Optional<E>> lookup, List<String> known) {
            Set<E> set = new LinkedHashSet<>();
            List<String> seen = new ArrayList<>();
            for (Indexed item : list(node, path, key)) {
                String code = item.text(this);
                noDuplicate(seen, code, item.path, kind);
                seen.add(code);
                set.add(lookup.apply(code).orElseThrow(() -> fail(item.path, "unknown " + kind + " '" + code
                        + "' (known: " + String.join(", ", known) + ")")));
            }
            return set;
        }

        private record Indexed(JsonNode node, String path) {
            String text(Reader reader) {
                if (!node.isTextual() || node.textValue().isBlank()) {
                    throw reader.fail(path, "must be a non-empty text");
                }
                return node.textValue();
            }
        }

        private List<Indexed> list(JsonNode node, String path, String key) {
            JsonNode list = node.get(key);
            String p = path + "." + key;
            if (list == null || list.isNull()) {
                throw fail(p, "is missing");
            }
            if (!list.isArray()) {
                throw fail(p, "must be a list");
            }
            List<Indexed> items = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                items.add(new Indexed(list.get(i), p + "[" + i + "]"));
            }
            return items;
        }

        private void noDuplicate(List<String> seen, String value, String path, String kind) {
            if (seen.contains(value)) {
                throw fail(path, "duplicate " + kind + " '" + value + "': listed twice");
            }
        }

        private void object(JsonNode node, String path) {
            if (node == null || node.isNull() || node.isMissingNode()) {
                throw fail(path, "is missing");
            }
            if (!node.isObject()) {
                throw fail(path, "must be a mapping of keys to values, not " + node.getNodeType().toString()
                        .toLowerCase(java.util.Locale.ROOT));
            }
        }

        private void keys(JsonNode node, String path, List<String> required, List<String> optional) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!required.contains(k) && !optional.contains(k)) {
                    List<String> all = new ArrayList<>(required);
                    all.addAll(optional);
                    throw fail(join(path, k), "unknown key '" + k + "' (expected: " + String.join(", ", all) + ")");
                }
            }
            for (String r : required) {
                if (!node.has(r) || node.get(r).isNull()) {
                    throw fail(join(path, r), "is missing");
                }
            }
        }

        private String text(JsonNode node, String path, String key) {
            JsonNode v = node.get(key);
            String p = join(path, key);
            if (v == null || v.isNull() || v.isMissingNode()) {
                throw fail(p, "is missing");
            }
            if (!v.isValueNode() || v.asText().isBlank()) {
                throw fail(p, "must be a non-empty text");
            }
            return v.asText();
        }

        private String optionalText(JsonNode node, String path, String key) {
            return node.has(key) ? text(node, path, key) : null;
        }

        private static String join(String path, String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        PolicyException fail(String place, String problem) {
            return new PolicyException(source, place, problem);
        }

        private static String where(JsonLocation location) {
            if (location == null || location.getLineNr() < 0) {
                return "(document)";
            }
            return "line " + location.getLineNr() + ", column " + location.getColumnNr();
        }

        private static String problemOf(JsonProcessingException e) {
            String m = e.getOriginalMessage();
            if (m != null && m.startsWith("Duplicate field")) {
                int a = m.indexOf('\'');
                int b = a < 0 ? -1 : m.indexOf('\'', a + 1);
                String key = b > a ? m.substring(a + 1, b) : "?";
                return "duplicate key '" + key + "': each role, agency, field, purpose and rule is given once";
            }
            return "not a readable YAML or JSON document: " + (m == null ? e.getClass().getSimpleName()
                    : m.lines().findFirst().orElse(m));
        }
    }
}
