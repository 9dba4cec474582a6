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
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import uk.wycps.record.RecordJson;
import uk.wycps.record.SearchCriteria;
import uk.wycps.gateway.api.ApiContract;
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
 * Reads and validates the body of {@code POST /api/v1/enquiries} (API.md; P1, P2). The body's
 * shape (types, required and unknown fields, enumerations, lengths) is checked first against
 * the OpenAPI document's schema ({@link ApiContract}); what follows here are the rules a schema
 * cannot state. Every problem is a 400 naming the JSON path of the field. Names are
 * NFKC-normalised; control and bidirectional-override characters and wildcards are refused.
 */
public final class EnquiryParser {

    static final int MAX_NAME_LENGTH = 100;
    private static final Pattern WILDCARDS = Pattern.compile("[*%?_\\[\\]]");
    private static final Pattern NAME_CHARS = Pattern.compile("[\\p{L}\\p{M}' .\\-]+");
    private static final Pattern POSTCODE = Pattern.compile("[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}|[A-Za-z]{1,2}[0-9][A-Za-z0-9]?");
    private static final Pattern FORM_REFERENCE = Pattern.compile("[A-Za-z0-9/._-]{1,64}");
    private static final LocalDate EARLIEST_BIRTH = LocalDate.of(1900, 1, 1);

    private final Set<String> authorities;
    private final ApiContract contract;

    /** {@code authorities}: the configured registers, in configuration order. */
    public EnquiryParser(List<String> authorities, ApiContract contract) {
        this.authorities = new LinkedHashSet<>(authorities);
        this.contract = Objects.requireNonNull(contract, "contract");
    }

    public Enquiry parse(Buffer body) {
        JsonObject json = object(body);
        contract.checkEnquiry(json);
        SearchCriteria subject = subject(json.getJsonObject("subject"));
        return new Enquiry(subject, declaration(json), registers(json.getJsonArray("registers")));
    }

    /**
     * The declaration and registers of a {@code POST /api/v1/policy/explain} body: an enquiry
     * without a subject.
     */
    public ExplainRequest parseExplain(Buffer body) {
        JsonObject json = object(body);
        contract.checkExplain(json);
        return new ExplainRequest(declaration(json), registers(json.getJsonArray("registers")));
    }

    /** What {@code explain} is asked: a declaration and the registers it concerns. */
    public record ExplainRequest(Declaration declaration, List<String> registers) {
    }

    private static Declaration declaration(JsonObject json) {
        return new Declaration(purpose(json), justification(json), consent(json.getJsonObject("consent")));
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
        String familyName = name(s.getString("familyName"), "$.subject.familyName", true);
        String givenName = name(s.getString("givenName"), "$.subject.givenName", false);
        LocalDate dob = dateOfBirth(s.getString("dateOfBirth"));
        if (givenName == null && dob == null) {
            throw ApiException.badRequest("missing-field",
                    "Give at least a given name or a date of birth with the family name.", "$.subject.givenName");
        }
        List<String> others = new ArrayList<>();
        JsonArray otherArray = s.getJsonArray("otherGivenNames", new JsonArray());
        for (int i = 0; i < otherArray.size(); i++) {
            others.add(name(otherArray.getString(i), "$.subject.otherGivenNames[" + i + "]", true));
        }
        List<PersonName> aliases = new ArrayList<>();
        JsonArray aliasArray = s.getJsonArray("aliases", new JsonArray());
        for (int i = 0; i < aliasArray.size(); i++) {
            String path = "$.subject.aliases[" + i + "]";
            JsonObject alias = aliasArray.getJsonObject(i);
            String g = name(alias.getString("givenName"), path + ".givenName", false);
            String f = name(alias.getString("familyName"), path + ".familyName", false);
            if (g == null && f == null) {
                throw ApiException.badRequest("invalid-field", "An alias needs a given or a family name.", path);
            }
            aliases.add(new PersonName(g, f));
        }
        String g = s.getString("gender");
        Gender gender = g == null ? null : Gender.fromCode(g);
        String postcode = null;
        String p = s.getString("postcode");
        if (p != null) {
            if (!POSTCODE.matcher(p.trim()).matches()) {
                throw ApiException.badRequest("invalid-field", "postcode is not a UK postcode.", "$.subject.postcode");
            }
            postcode = p.trim().toUpperCase(java.util.Locale.ROOT);
        }
        return new SearchCriteria(givenName, familyName, others, aliases, dob, gender, postcode);
    }

    /** A name, NFKC-normalised, or null when absent and not required. */
    static String name(String raw, String path, boolean required) {
        if (raw == null) {
            if (required) {
                throw ApiException.badRequest("missing-field", "This name is required.", path);
            }
            return null;
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

    private static LocalDate dateOfBirth(String value) {
        if (value == null) {
            return null;
        }
        LocalDate dob;
        try {
            dob = LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid-field", "dateOfBirth must be a date like 2016-03-09.",
                    "$.subject.dateOfBirth");
        }
        if (dob.isBefore(EARLIEST_BIRTH) || dob.isAfter(LocalDate.now())) {
            throw ApiException.badRequest("invalid-field", "dateOfBirth is out of range.", "$.subject.dateOfBirth");
        }
        return dob;
    }

    /** The schema admits the codes of {@link Purpose} only. */
    private static Purpose purpose(JsonObject json) {
        String code = json.getJsonObject("purpose").getString("code");
        return Purpose.fromCode(code).orElseThrow(() -> ApiException.badRequest("invalid-field",
                "Unknown purpose.", "$.purpose.code"));
    }

    private static String justification(JsonObject json) {
        String s = json.getJsonObject("purpose").getString("justification");
        if (s.isBlank()) {
            throw ApiException.badRequest("missing-field", "Give a justification for the enquiry (need to know).",
                    "$.purpose.justification");
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

    /** Which of the consent fields go together: a rule the schema leaves to the gateway. */
    private static ConsentBasis consent(JsonObject c) {
        ConsentStatus status = code(c, "status", "$.consent.status", ConsentStatus::fromCode,
                "consent.status must be obtained, not-sought or refused.");
        switch (status) {
            case OBTAINED -> {
                String r = c.getString("formReference");
                if (r == null || r.isBlank()) {
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

    private List<String> registers(JsonArray array) {
        if (array == null) {
            return List.copyOf(authorities);
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (int i = 0; i < array.size(); i++) {
            String r = array.getString(i);
            if (!authorities.contains(r)) {
                throw ApiException.badRequest("unknown-register", "Unknown register; known: " + authorities + ".",
                        "$.registers[" + i + "]");
            }
            chosen.add(r);
        }
        return List.copyOf(chosen);
    }
}
