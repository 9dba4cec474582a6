package uk.wycps.connector.fhir;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RecordIds;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.SearchRequest;
import uk.wycps.connector.http.HttpDialectConnector;
import uk.wycps.connector.http.HttpDialects;
import uk.wycps.record.Address;
import uk.wycps.record.AddressPeriod;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.ConcernCategory;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.FieldProjection;
import uk.wycps.record.Gender;
import uk.wycps.record.Meeting;
import uk.wycps.record.PersonName;
import uk.wycps.record.RecordJson;
import uk.wycps.record.Referral;
import uk.wycps.record.Registration;
import uk.wycps.record.Relationship;
import uk.wycps.record.SearchCriteria;

/**
 * Dialect {@code fhir-r4}: HL7 FHIR R4 JSON ({@link Fhir} names the profile).
 * <ul>
 *   <li>{@code GET {base}/Patient?family=&given=&birthdate=&gender=&address-postalcode=} with
 *       {@code _elements} and {@code _revinclude} limited to what the requested fields need
 *       (A5), answering a {@code searchset} Bundle: the Patients, and the register facts as
 *       {@code Flag}, {@code EpisodeOfCare}, {@code RelatedPerson}, {@code Encounter}
 *       (conferences), {@code ServiceRequest} (referrals) and {@code AuditEvent} (the history
 *       of enquiries);</li>
 *   <li>{@code PUT {base}/AuditEvent/{entryId}} records an enquiry (idempotent: an update
 *       with the entry's id);</li>
 *   <li>{@code PUT {base}/audit-checkpoints/{index}} keeps an audit checkpoint.</li>
 * </ul>
 * Options: {@code maxPatients} (default 200).
 */
public final class FhirConnector extends HttpDialectConnector {

    public static final int DEFAULT_MAX_PATIENTS = 200;
    /** FHIR's id grammar, within the length every dialect keeps. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1," + RecordIds.MAX_LENGTH + "}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectWriter WRITER = RecordJson.mapper().writer();

    private final int maxPatients;

    public FhirConnector(Vertx vertx, RegisterSettings settings) {
        super(vertx, settings);
        this.maxPatients = settings.options().getInteger("maxPatients", DEFAULT_MAX_PATIENTS);
    }

    @Override
    public Future<List<ChildRecord>> search(SearchRequest request) {
        Set<String> keep = RecordIds.withRecordId(request.fields());
        return exchange(request(HttpMethod.GET, "/Patient?" + query(request.criteria(), keep))
                        .putHeader("Accept", Fhir.CONTENT_TYPE), null, request.deadline(), Fhir.CONTENT_TYPE)
                .map(b -> parse(HttpDialects.parse(b, "FHIR"), keep));
    }

    /** The search parameters, with {@code _elements} and {@code _revinclude} for the wanted fields only. */
    static String query(SearchCriteria c, Set<String> fields) {
        List<String> families = new ArrayList<>();
        families.add(c.familyName());
        c.aliases().forEach(a -> {
            if (a.familyName() != null && !families.contains(a.familyName())) {
                families.add(a.familyName());
            }
        });
        List<String> givens = new ArrayList<>();
        if (c.givenName() != null) {
            givens.add(c.givenName());
        }
        givens.addAll(c.otherGivenNames());
        StringBuilder q = new StringBuilder();
        param(q, "family", orList(families));
        if (!givens.isEmpty()) {
            param(q, "given", orList(givens));
        }
        if (c.dateOfBirth() != null) {
            param(q, "birthdate", c.dateOfBirth().toString());
        }
        if (c.gender() != null) {
            param(q, "gender", c.gender().code());
        }
        if (c.postcode() != null) {
            param(q, "address-postalcode", c.postcode());
        }
        param(q, "_count", Integer.toString(DEFAULT_MAX_PATIENTS));
        Set<String> elements = new LinkedHashSet<>();
        for (String f : fields) {
            switch (f) {
                case "givenName", "familyName", "aliases" -> elements.add("name");
                case "dateOfBirth" -> elements.add("birthDate");
                case "gender" -> elements.add("gender");
                case "languages" -> elements.add("communication");
                case "address", "addressHistory" -> elements.add("address");
                case "legalStatus", "ethnicity" -> elements.add("extension");
                // The security label (A10); a server should keep meta whatever is asked, but ask anyway.
                case "shielded" -> elements.add("meta");
                default -> {
                }
            }
        }
        param(q, "_elements", elements.isEmpty() ? "id" : String.join(",", elements));
        Set<String> includes = new LinkedHashSet<>();
        for (String f : fields) {
            switch (f) {
                case "lookedAfterIndicator", "concernCategories", "healthNotes", "concernDetails" ->
                        includes.add("Flag:patient");
                case "registration", "registrationHistory" -> includes.add("EpisodeOfCare:patient");
                case "relationships" -> includes.add("RelatedPerson:patient");
                case "meetings" -> includes.add("Encounter:patient");
                case "referrals" -> includes.add("ServiceRequest:patient");
                case "enquiryHistory" -> includes.add("AuditEvent:patient");
                default -> {
                }
            }
        }
        includes.forEach(i -> param(q, "_revinclude", i));
        return q.toString();
    }

    private static String orList(List<String> values) {
        List<String> escaped = new ArrayList<>();
        for (String v : values) {
            escaped.add(v.replace("\\", "\\\\").replace(",", "\\,").replace("$", "\\$").replace("|", "\\|"));
        }
        return String.join(",", escaped);
    }

    private static void param(StringBuilder q, String name, String value) {
        if (q.length() > 0) {
            q.append('&');
        }
        q.append(name).append('=').append(HttpDialects.query(value));
    }

    // ---- reading the Bundle -------------------------------------------------------------------

    /** The canonical records of a searchset Bundle; {@link RegisterFailure} ERROR for anything else. */
    List<ChildRecord> parse(JsonNode bundle, Set<String> keep) {
        if (!"Bundle".equals(bundle.path("resourceType").asText()) || !"searchset".equals(bundle.path("type").asText())) {
            throw RegisterFailure.error("answer is not a FHIR searchset Bundle");
        }
        JsonNode entries = bundle.get("entry");
        if (entries == null) {
            return List.of();
        }
        if (!entries.isArray()) {
            throw RegisterFailure.error("Bundle.entry is not a list");
        }
        Map<String, JsonNode> patients = new LinkedHashMap<>();
        Map<String, List<JsonNode>> facts = new HashMap<>();
        List<JsonNode> others = new ArrayList<>();
        for (JsonNode entry : entries) {
            JsonNode resource = entry.get("resource");
            if (resource == null || !resource.isObject()) {
                throw RegisterFailure.error("a Bundle entry has no resource");
            }
            String type = resource.path("resourceType").asText();
            if ("Patient".equals(type)) {
                String id = resource.path("id").asText();
                if (!ID.matcher(id).matches()) {
                    throw RegisterFailure.error("a Patient has no valid id");
                }
                if (patients.put(id, resource) != null) {
                    throw RegisterFailure.error("a Patient appears twice");
                }
                if (patients.size() > maxPatients) {
                    throw RegisterFailure.error("answer has more than " + maxPatients + " patients");
                }
            } else if ("OperationOutcome".equals(type)) {
                // Informational: warnings from the server, no record content.
            } else {
                others.add(resource);
            }
        }
        for (JsonNode resource : others) {
            String patient = patientOf(resource);
            if (patient != null && patients.containsKey(patient)) {
                facts.computeIfAbsent(patient, k -> new ArrayList<>()).add(resource);
            }
        }
        List<ChildRecord> out = new ArrayList<>(patients.size());
        for (Map.Entry<String, JsonNode> p : patients.entrySet()) {
            out.add(FieldProjection.project(record(p.getKey(), p.getValue(), facts.getOrDefault(p.getKey(), List.of())), keep));
        }
        return out;
    }

    /** The patient id a fact refers to, or null; an unknown resource type is an unreadable answer. */
    private static String patientOf(JsonNode r) {
        JsonNode ref = switch (r.path("resourceType").asText()) {
            case "Flag", "Encounter", "ServiceRequest" -> r.path("subject").path("reference");
            case "EpisodeOfCare", "RelatedPerson" -> r.path("patient").path("reference");
            case "AuditEvent" -> r.path("entity").path(0).path("what").path("reference");
            default -> throw RegisterFailure.error("answer has an unexpected resource type");
        };
        String s = ref.asText("");
        return s.startsWith("Patient/") ? s.substring("Patient/".length()) : null;
    }

    private static ChildRecord record(String id, JsonNode patient, List<JsonNode> facts) {
        String given = null;
        String family = null;
        List<PersonName> aliases = new ArrayList<>();
        JsonNode names = array(patient, "name");
        JsonNode official = null;
        for (JsonNode n : names) {
            if ("official".equals(n.path("use").asText())) {
                official = n;
                break;
            }
        }
        if (official == null && names.size() > 0) {
            official = names.get(0);
        }
        for (JsonNode n : names) {
            String g = n.has("given") ? text(array(n, "given").path(0)) : null;
            String f = text(n.get("family"));
            if (n == official) {
                given = g;
                family = f;
            } else {
                aliases.add(new PersonName(g, f));
            }
        }
        List<String> languages = new ArrayList<>();
        for (JsonNode c : array(patient, "communication")) {
            JsonNode lang = c.path("language");
            String t = text(lang.get("text"));
            if (t == null) {
                t = text(lang.path("coding").path(0).get("display"));
            }
            if (t == null) {
                throw RegisterFailure.error("a language has no text");
            }
            languages.add(t);
        }
        Address current = null;
        List<AddressPeriod> history = new ArrayList<>();
        for (JsonNode a : array(patient, "address")) {
            Address address = new Address(text(array(a, "line").path(0)), text(a.get("city")), text(a.get("postalCode")),
                    text(a.get("district")));
            if (a.has("period")) {
                history.add(new AddressPeriod(address, date(a.path("period").get("start")), date(a.path("period").get("end"))));
            } else if (current == null) {
                current = address;
            } else {
                throw RegisterFailure.error("a Patient has two current addresses");
            }
        }
        Boolean lookedAfter = null;
        List<ConcernCategory> categories = new ArrayList<>();
        String health = null;
        String details = null;
        Registration registration = null;
        List<Registration> registrations = new ArrayList<>();
        List<Relationship> relationships = new ArrayList<>();
        List<Meeting> meetings = new ArrayList<>();
        List<Referral> referrals = new ArrayList<>();
        List<EnquiryHistoryEntry> enquiries = new ArrayList<>();
        for (JsonNode r : facts) {
            switch (r.path("resourceType").asText()) {
                case "Flag" -> {
                    String code = coding(r.path("code"), Fhir.CS_FLAG);
                    String status = r.path("status").asText();
                    if (code == null) {
                        throw RegisterFailure.error("a Flag has no register code");
                    }
                    switch (code) {
                        case Fhir.FLAG_LOOKED_AFTER -> lookedAfter = switch (status) {
                            case "active" -> true;
                            case "inactive" -> false;
                            default -> throw RegisterFailure.error("a Flag has an unknown status");
                        };
                        case Fhir.FLAG_CONCERN -> categories.add(category(coding(r.path("category").path(0), Fhir.CS_CONCERN)));
                        case Fhir.FLAG_HEALTH -> health = text(r.path("code").get("text"));
                        case Fhir.FLAG_DETAILS -> details = text(r.path("code").get("text"));
                        default -> throw RegisterFailure.error("a Flag has an unknown code");
                    }
                }
                case "EpisodeOfCare" -> {
                    String status = switch (r.path("status").asText()) {
                        case "active" -> Registration.ACTIVE;
                        case "finished" -> Registration.ENDED;
                        default -> throw RegisterFailure.error("an EpisodeOfCare has an unknown status");
                    };
                    Registration reg = new Registration(status,
                            category(extension(r, Fhir.EXT_CONCERN_CATEGORY).path("valueCoding").path("code").asText(null)),
                            date(r.path("period").get("start")), date(r.path("period").get("end")));
                    String type = coding(r.path("type").path(0), Fhir.CS_EPISODE);
                    if (Fhir.EPISODE_CURRENT.equals(type)) {
                        if (registration != null) {
                            throw RegisterFailure.error("a Patient has two current registrations");
                        }
                        registration = reg;
                    } else if (Fhir.EPISODE_HISTORY.equals(type)) {
                        registrations.add(reg);
                    } else {
                        throw RegisterFailure.error("an EpisodeOfCare has an unknown type");
                    }
                }
                case "RelatedPerson" -> relationships.add(new Relationship(text(r.path("name").path(0).get("text")),
                        text(r.path("relationship").path(0).get("text")),
                        bool(extension(r, Fhir.EXT_CONCERN_INDICATOR).get("valueBoolean")),
                        bool(extension(r, Fhir.EXT_SCHEDULE_ONE).get("valueBoolean"))));
                case "Encounter" -> meetings.add(new Meeting(date(r.path("period").get("start")),
                        text(r.path("type").path(0).get("text")),
                        text(extension(r, Fhir.EXT_MEETING_OUTCOME).get("valueString"))));
                case "ServiceRequest" -> referrals.add(new Referral(date(r.get("authoredOn")),
                        text(r.path("requester").get("display")), text(r.path("reasonCode").path(0).get("text"))));
                case "AuditEvent" -> enquiries.add(new EnquiryHistoryEntry(text(r.get("id")),
                        text(extension(r, Fhir.EXT_ENQUIRY_ID).get("valueString")), instant(r.get("recorded")),
                        text(r.path("agent").path(0).path("who").get("display")),
                        text(extension(r, Fhir.EXT_ROLE).get("valueString")),
                        text(extension(r, Fhir.EXT_AGENCY).get("valueString")),
                        text(extension(r, Fhir.EXT_AUTHORITY).get("valueString")),
                        text(extension(r, Fhir.EXT_PURPOSE).get("valueString")),
                        text(extension(r, Fhir.EXT_CONSENT_BASIS).get("valueString"))));
                default -> throw RegisterFailure.error("answer has an unexpected resource type");
            }
        }
        return new ChildRecord(id, given, family, aliases, date(patient.get("birthDate")), gender(patient.get("gender")),
                languages, current, history,
                text(extension(patient, Fhir.EXT_LEGAL_STATUS).get("valueString")),
                categories, registration, registrations, meetings, enquiries, referrals, relationships, lookedAfter,
                text(extension(patient, Fhir.EXT_ETHNICITY).path("valueCodeableConcept").get("text")), health, details, shielded(patient));
    }

    /**
     * The shielded mark (A10): a {@code meta.security} label of this profile's code system, code
     * {@code shielded}. A security label rather than an extension because labels are FHIR's place
     * for handling rules on a whole resource, which servers and intermediaries already act on.
     * Read whenever present, asked for or not: the gateway must never miss it.
     */
    static Boolean shielded(JsonNode patient) {
        JsonNode meta = patient.get("meta");
        if (meta == null || meta.isNull()) {
            return null;
        }
        if (!meta.isObject()) {
            throw RegisterFailure.error("a Patient's meta is not an object");
        }
        for (JsonNode label : array(meta, "security")) {
            if (!label.isObject()) {
                throw RegisterFailure.error("a security label is not a Coding");
            }
            if (Fhir.CS_SECURITY.equals(label.path("system").asText(null))
                    && Fhir.SECURITY_SHIELDED.equals(label.path("code").asText(null))) {
                return Boolean.TRUE;
            }
        }
        return null;
    }

    private static JsonNode array(JsonNode node, String field) {
        JsonNode a = node.get(field);
        if (a == null || a.isNull()) {
            return NODES.arrayNode();
        }
        if (!a.isArray()) {
            throw RegisterFailure.error("'" + field + "' is not a list");
        }
        return a;
    }

    private static JsonNode extension(JsonNode resource, String url) {
        for (JsonNode e : array(resource, "extension")) {
            if (url.equals(e.path("url").asText())) {
                return e;
            }
        }
        return NODES.objectNode();
    }

    private static String coding(JsonNode concept, String system) {
        for (JsonNode c : array(concept, "coding")) {
            if (system.equals(c.path("system").asText())) {
                return text(c.get("code"));
            }
        }
        return null;
    }

    private static String text(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (!n.isTextual()) {
            throw RegisterFailure.error("a text field is not text");
        }
        return n.asText();
    }

    private static Boolean bool(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw RegisterFailure.error("an indicator is not a boolean");
        }
        return n.asBoolean();
    }

    /** A full FHIR date; a partial one (year or year-month) cannot be a canonical date. */
    private static LocalDate date(JsonNode n) {
        String s = text(n);
        if (s == null) {
            return null;
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw RegisterFailure.error("a date is not a full date");
        }
    }

    private static Instant instant(JsonNode n) {
        String s = text(n);
        try {
            return s == null ? null : java.time.OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw RegisterFailure.error("an instant is not valid");
        }
    }

    private static Gender gender(JsonNode n) {
        String s = text(n);
        if (s == null) {
            return null;
        }
        try {
            return Gender.fromCode(s);
        } catch (IllegalArgumentException e) {
            throw RegisterFailure.error("a Patient has a gender outside the canonical codes");
        }
    }

    private static ConcernCategory category(String code) {
        if (code == null) {
            return null;
        }
        try {
            return ConcernCategory.fromCode(code);
        } catch (IllegalArgumentException e) {
            throw RegisterFailure.error("a concern category is outside the canonical codes");
        }
    }

    // ---- writes -------------------------------------------------------------------------------

    /** The enquiry-history entry as an AuditEvent about {@code Patient/recordId}. */
    static ObjectNode auditEvent(String recordId, EnquiryHistoryEntry e) {
        ObjectNode r = NODES.objectNode();
        r.put("resourceType", "AuditEvent");
        r.put("id", e.entryId());
        ArrayNode ext = r.putArray("extension");
        ext(ext, Fhir.EXT_ENQUIRY_ID, e.enquiryId());
        ext(ext, Fhir.EXT_ROLE, e.role());
        ext(ext, Fhir.EXT_AGENCY, e.agency());
        ext(ext, Fhir.EXT_AUTHORITY, e.authority());
        ext(ext, Fhir.EXT_PURPOSE, e.purpose());
        ext(ext, Fhir.EXT_CONSENT_BASIS, e.consentBasis());
        r.putObject("type").put("system", "http://terminology.hl7.org/CodeSystem/audit-event-type").put("code", "rest");
        if (e.at() != null) {
            r.put("recorded", e.at().toString());
        }
        ObjectNode agent = r.putArray("agent").addObject();
        agent.put("requestor", true);
        if (e.subject() != null) {
            agent.putObject("who").put("display", e.subject());
        }
        r.putObject("source").putObject("observer").put("display", "wycps-gateway");
        r.putArray("entity").addObject().putObject("what").put("reference", "Patient/" + recordId);
        return r;
    }

    private static void ext(ArrayNode ext, String url, String value) {
        if (value != null) {
            ext.addObject().put("url", url).put("valueString", value);
        }
    }

    @Override
    public Future<Void> recordEnquiry(String recordId, EnquiryHistoryEntry entry, Deadline deadline) {
        if (!ID.matcher(entry.entryId()).matches()) {
            return Future.failedFuture(RegisterFailure.error("entry id is not a valid FHIR id"));
        }
        return send(HttpMethod.PUT, "/AuditEvent/" + HttpDialects.segment(entry.entryId()),
                WRITER, auditEvent(recordId, entry), deadline, Fhir.CONTENT_TYPE);
    }

    @Override
    public Future<Void> publishCheckpoint(AuditCheckpoint checkpoint, Deadline deadline) {
        return putCheckpoint("/audit-checkpoints/{index}", checkpoint, deadline);
    }
}
