package uk.wycps.gateway.enquiry;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectReader;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.text.Normalizer;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import uk.wycps.record.RecordJson;
import uk.wycps.record.SearchCriteria;
import uk.wycps.gateway.api.ApiException;
import uk.wycps.policy.ConsentBasis;
import uk.wycps.policy.ConsentGround;
import uk.wycps.policy.ConsentStatus;
import uk.wycps.policy.Declaration;
import uk.wycps.policy.Purpose;
import uk.wycps.policy.RefusedBy;
import uk.wycps.record.Gender;
import uk.wycps.record.PersonName;

/**
 * Reads and validates the body of {@code POST /api/v1/enquiries} (API.md; P1, P2). Every
 * problem is a 400 naming the JSON path of the field. Names are NFKC-normalised; control and
 * bidirectional-override characters and wildcards are refused.
 */
public final class EnquiryParser {

    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_JUSTIFICATION_LENGTH = 1000;
    static final int MAX_LIST = 10;
    private static final Pattern WILDCARDS = Pattern.compile("[*%?_\\[\\]]");
    private static final Pattern NAME_CHARS = Pattern.compile("[\\p{L}\\p{M}' .\\-]+");
    private static final Pattern POSTCODE = Pattern.compile("[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}|[A-Za-z]{1,2}[0-9][A-Za-z0-9]?");
    private static final Pattern FORM_REFERENCE = Pattern.compile("[A-Za-z0-9/._-]{1,64}");
    private static final LocalDate EARLIEST_BIRTH = LocalDate.of(1900, 1, 1);

    private final Set<String> authorities;

    /** {@code authorities}: the configured registers, in configuration order. */
    public EnquiryParser(List<String> authorities) {
        this.authorities = new LinkedHashSet<>(authorities);
    }

    public Enquiry parse(Buffer body) {
        JsonObject json = object(body);
        onlyKeys(json, "$", "subject", "purpose", "consent", "registers");
        SearchCriteria subject = subject(object(json, "subject", "$.subject"));
        return new Enquiry(subject, declaration(json), registers(json.getValue("registers")));
    }

    /**
     * The declaration and registers of a {@code POST /api/v1/policy/explain} body: an enquiry
     * without a subject.
     */
    public ExplainRequest parseExplain(Buffer body) {
        JsonObject json = object(body);
        onlyKeys(json, "$", "purpose", "consent", "registers");
        return new ExplainRequest(declaration(json), registers(json.getValue("registers")));
    }

    /** What {@code explain} is asked: a declaration and the registers it concerns. */
    public record ExplainRequest(Declaration declaration, List<String> registers) {
    }

    private static Declaration declaration(JsonObject json) {
        return new Declaration(purpose(json), justification(json), consent(json));
    }

    /**
     * The body as a JSON object, read by the strict reader of {@link RecordJson}: nesting, string,
     * number and name lengths bounded, a repeated key refused, malformed UTF-8 refused; each is a
     * 400 that says which limit, never echoing the body.
     */
    private static JsonObject object(Buffer body) {
        Object value;
        try {
            value = BODY_READER.readValue(body.getBytes());
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest("malformed-json", "The body nests deeper than " + RecordJson.MAX_NESTING_DEPTH
                    + " levels or has a string, number or key longer than allowed.", "$");
        } catch (JsonParseException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Duplicate field")) {
                throw ApiException.badRequest("malformed-json", "The body repeats a key within one object.", "$");
            }
            throw ApiException.badRequest("malformed-json", "The body is not well-formed JSON in UTF-8.", "$");
        } catch (IOException e) {
            throw ApiException.badRequest("malformed-json", "The body is not a JSON object.", "$");
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw ApiException.badRequest("malformed-json", "The body is not a JSON object.", "$");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) map;
        return new JsonObject(fields);
    }

    private static final ObjectReader BODY_READER = RecordJson.mapper().readerFor(Object.class);

    private SearchCriteria subject(JsonObject s) {
        onlyKeys(s, "$.subject", "givenName", "familyName", "otherGivenNames", "aliases", "dateOfBirth", "gender",
                "postcode");
        String familyName = name(s.getValue("familyName"), "$.subject.familyName", true);
        String givenName = name(s.getValue("givenName"), "$.subject.givenName", false);
        LocalDate dob = dateOfBirth(s.getValue("dateOfBirth"));
        if (givenName == null && dob == null) {
            throw ApiException.badRequest("missing-field",
                    "Give at least a given name or a date of birth with the family name.", "$.subject.givenName");
        }
        List<String> others = new ArrayList<>();
        JsonArray otherArray = array(s.getValue("otherGivenNames"), "$.subject.otherGivenNames");
        for (int i = 0; i < otherArray.size(); i++) {
            others.add(name(otherArray.getValue(i), "$.subject.otherGivenNames[" + i + "]", true));
        }
        List<PersonName> aliases = new ArrayList<>();
        JsonArray aliasArray = array(s.getValue("aliases"), "$.subject.aliases");
        for (int i = 0; i < aliasArray.size(); i++) {
            String path = "$.subject.aliases[" + i + "]";
            if (!(aliasArray.getValue(i) instanceof JsonObject alias)) {
                throw ApiException.badRequest("invalid-field", "An alias must be an object.", path);
            }
            onlyKeys(alias, path, "givenName", "familyName");
            String g = name(alias.getValue("givenName"), path + ".givenName", false);
            String f = name(alias.getValue("familyName"), path + ".familyName", false);
            if (g == null && f == null) {
                throw ApiException.badRequest("invalid-field", "An alias needs a given or a family name.", path);
            }
            aliases.add(new PersonName(g, f));
        }
        Gender gender = null;
        Object g = s.getValue("gender");
        if (g != null) {
            try {
                gender = Gender.fromCode(g instanceof String str ? str : "");
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid-field", "gender must be female, male or unknown.",
                        "$.subject.gender");
            }
        }
        String postcode = null;
        Object p = s.getValue("postcode");
        if (p != null) {
            if (!(p instanceof String str) || !POSTCODE.matcher(str.trim()).matches()) {
                throw ApiException.badRequest("invalid-field", "postcode is not a UK postcode.", "$.subject.postcode");
            }
            postcode = str.trim().toUpperCase(java.util.Locale.ROOT);
        }
        return new SearchCriteria(givenName, familyName, others, aliases, dob, gender, postcode);
    }

    /** A name, NFKC-normalised, or null when absent and not required. */
    static String name(Object value, String path, boolean required) {
        if (value == null) {
            if (required) {
                throw ApiException.badRequest("missing-field", "This name is required.", path);
            }
            return null;
        }
        if (!(value instanceof String raw)) {
            throw ApiException.badRequest("invalid-field", "A name must be a string.", path);
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (Character.isISOControl(c) || isBidiControl(c)) {
                throw ApiException.badRequest("invalid-characters",
                        "Names may not contain control or bidirectional-override characters.", path);
            }
        }
        String name = Normalizer.normalize(raw, Normalizer.Form.NFKC).strip();
        if (name.isEmpty()) {
            if (required) {
                throw ApiException.badRequest("missing-field", "This name is required.", path);
            }
            return null;
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw ApiException.badRequest("invalid-field", "A name may have at most " + MAX_NAME_LENGTH
                    + " characters.", path);
        }
        if (WILDCARDS.matcher(name).find()) {
            throw ApiException.badRequest("wildcard-not-allowed",
                    "Wildcards are not a search: give the name as it is known.", path);
        }
        if (!NAME_CHARS.matcher(name).matches()) {
            throw ApiException.badRequest("invalid-characters",
                    "A name may hold letters, spaces, hyphens, apostrophes and full stops only.", path);
        }
        return name;
    }

    private static boolean isBidiControl(char c) {
        return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200E' || c == '\u200F' || c == '\u061C' || c == '\uFEFF';
    }

    private static LocalDate dateOfBirth(Object value) {
        if (value == null) {
            return null;
        }
        LocalDate dob;
        try {
            dob = LocalDate.parse(value instanceof String s ? s : "");
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid-field", "dateOfBirth must be a date like 2016-03-09.",
                    "$.subject.dateOfBirth");
        }
        if (dob.isBefore(EARLIEST_BIRTH) || dob.isAfter(LocalDate.now())) {
            throw ApiException.badRequest("invalid-field", "dateOfBirth is out of range.", "$.subject.dateOfBirth");
        }
        return dob;
    }

    private static Purpose purpose(JsonObject json) {
        JsonObject p = object(json, "purpose", "$.purpose");
        onlyKeys(p, "$.purpose", "code", "justification");
        Object code = p.getValue("code");
        if (code == null) {
            throw ApiException.badRequest("missing-field", "State the purpose of the enquiry.", "$.purpose.code");
        }
        return Purpose.fromCode(code instanceof String s ? s : null).orElseThrow(() -> ApiException.badRequest(
                "invalid-field", "Unknown purpose; use s47-enquiry, register-check, cp-conference or "
                        + "crime-prevention-detection.", "$.purpose.code"));
    }

    private static String justification(JsonObject json) {
        Object j = json.getJsonObject("purpose").getValue("justification");
        if (!(j instanceof String s) || s.isBlank()) {
            throw ApiException.badRequest("missing-field", "Give a justification for the enquiry (need to know).",
                    "$.purpose.justification");
        }
        if (s.length() > MAX_JUSTIFICATION_LENGTH) {
            throw ApiException.badRequest("invalid-field", "The justification is too long.", "$.purpose.justification");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((Character.isISOControl(c) && c != '\n') || isBidiControl(c)) {
                throw ApiException.badRequest("invalid-characters", "The justification holds control characters.",
                        "$.purpose.justification");
            }
        }
        return s.strip();
    }

    private static ConsentBasis consent(JsonObject json) {
        JsonObject c = object(json, "consent", "$.consent");
        onlyKeys(c, "$.consent", "status", "formReference", "ground", "refusedBy");
        ConsentStatus status = code(c, "status", "$.consent.status", ConsentStatus::fromCode,
                "consent.status must be obtained, not-sought or refused.");
        switch (status) {
            case OBTAINED -> {
                Object ref = c.getValue("formReference");
                if (!(ref instanceof String r) || r.isBlank()) {
                    throw ApiException.badRequest("missing-field",
                            "Consent obtained needs the authority's consent form reference.", "$.consent.formReference");
                }
                if (!FORM_REFERENCE.matcher(r).matches()) {
                    throw ApiException.badRequest("invalid-field", "The form reference is not valid.",
                            "$.consent.formReference");
                }
                if (c.containsKey("ground") || c.containsKey("refusedBy")) {
                    throw ApiException.badRequest("inconsistent-consent",
                            "Consent obtained takes no ground and no refusedBy.", "$.consent");
                }
                return ConsentBasis.obtained(r);
            }
            case NOT_SOUGHT -> {
                ConsentGround ground = ground(c);
                if (c.containsKey("refusedBy") || c.containsKey("formReference")) {
                    throw ApiException.badRequest("inconsistent-consent",
                            "Consent not sought takes a ground only.", "$.consent");
                }
                return ConsentBasis.notSought(ground);
            }
            default -> {
                ConsentGround ground = ground(c);
                RefusedBy by = code(c, "refusedBy", "$.consent.refusedBy", RefusedBy::fromCode,
                        "Say who refused consent: child or parent.");
                if (c.containsKey("formReference")) {
                    throw ApiException.badRequest("inconsistent-consent", "Refused consent takes no form reference.",
                            "$.consent.formReference");
                }
                return ConsentBasis.refused(ground, by);
            }
        }
    }

    private static ConsentGround ground(JsonObject c) {
        return code(c, "ground", "$.consent.ground", ConsentGround::fromCode,
                "Without consent, state the ground: risk-of-significant-harm, investigation-compromised, "
                        + "crime-prevention-detection, authorised-register-check or building-picture.");
    }

    private static <T> T code(JsonObject o, String key, String path,
            java.util.function.Function<String, java.util.Optional<T>> lookup, String message) {
        Object v = o.getValue(key);
        if (v == null) {
            throw ApiException.badRequest("missing-field", message, path);
        }
        return lookup.apply(v instanceof String s ? s : null)
                .orElseThrow(() -> ApiException.badRequest("invalid-field", message, path));
    }

    private List<String> registers(Object value) {
        if (value == null) {
            return List.copyOf(authorities);
        }
        if (!(value instanceof JsonArray array)) {
            throw ApiException.badRequest("invalid-field", "This must be a list.", "$.registers");
        }
        if (array.isEmpty()) {
            throw ApiException.badRequest("invalid-field", "registers, when given, names at least one register.",
                    "$.registers");
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (int i = 0; i < array.size(); i++) {
            Object r = array.getValue(i);
            if (!(r instanceof String s) || !authorities.contains(s)) {
                throw ApiException.badRequest("unknown-register", "Unknown register; known: " + authorities + ".",
                        "$.registers[" + i + "]");
            }
            chosen.add(s);
        }
        return List.copyOf(chosen);
    }

    private static JsonObject object(JsonObject parent, String key, String path) {
        Object v = parent.getValue(key);
        if (v == null) {
            throw ApiException.badRequest("missing-field", key + " is required.", path);
        }
        if (!(v instanceof JsonObject o)) {
            throw ApiException.badRequest("invalid-field", key + " must be an object.", path);
        }
        return o;
    }

    private static JsonArray array(Object value, String path) {
        if (value == null) {
            return new JsonArray();
        }
        if (!(value instanceof JsonArray a)) {
            throw ApiException.badRequest("invalid-field", "This must be a list.", path);
        }
        if (a.size() > MAX_LIST) {
            throw ApiException.badRequest("invalid-field", "At most " + MAX_LIST + " entries.", path);
        }
        return a;
    }

    private static void onlyKeys(JsonObject o, String path, String... allowed) {
        Set<String> known = Set.of(allowed);
        for (String key : o.fieldNames()) {
            if (!known.contains(key)) {
                throw ApiException.badRequest("unknown-field", "Unknown field.", path + "." + key);
            }
        }
    }
}
