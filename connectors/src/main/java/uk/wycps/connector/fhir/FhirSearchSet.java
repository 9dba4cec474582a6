package uk.wycps.connector.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import uk.wycps.connector.RecordIds;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.FieldProjection;

/**
 * The pages of one or several searchset Bundles of one search, gathered: the matching Patients
 * (merged by id across queries and pages) and the register facts that refer to them. Untrusted
 * input: anything that is not a valid searchset is a {@link RegisterFailure} of kind ERROR.
 *
 * <p>As FHIR says: {@code search.mode} tells matches from includes (a Patient brought as an
 * include is no candidate); a resource is linked to its Patient by a relative, absolute,
 * versioned or {@code urn:uuid:} reference; a resource of a type the profile does not use (an
 * included Practitioner, say) is ignored; an {@code OperationOutcome} of severity error or fatal
 * means the server did not answer the whole search. Not thread-safe: one search, one event loop.
 */
final class FhirSearchSet {

    /** FHIR's id grammar (R4: 1 to 64 of these characters), within the length every dialect keeps. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1," + RecordIds.MAX_LENGTH + "}");
    /** {@code [base/]Patient/id[/_history/version]}. */
    private static final Pattern PATIENT_REF =
            Pattern.compile("^(?:(.*)/)?Patient/([A-Za-z0-9\\-.]{1,64})(?:/_history/[A-Za-z0-9\\-.]{1,64})?$");
    private static final Set<String> FACT_TYPES =
            Set.of("Flag", "EpisodeOfCare", "RelatedPerson", "Encounter", "ServiceRequest", "AuditEvent");

    /**
     * What one page says about the rest of the search: its next link, its total, and the ids of
     * the Patients it matched (a set: a Patient twice is one candidate, against any total).
     */
    record Page(String next, Integer total, Set<String> matchIds) {
    }

    private final String base;
    private final int maxPatients;
    private final Map<String, JsonNode> patients = new LinkedHashMap<>();
    /** Facts by type/id, so that a fact brought by two queries counts once. */
    private final Map<String, JsonNode> facts = new LinkedHashMap<>();
    /** fullUrl of each Patient entry (absolute or urn:uuid) to its id. */
    private final Map<String, String> patientUrls = new HashMap<>();

    /**
     * @param base the register's FHIR base URL without a trailing slash: an absolute reference
     *             is to one of its Patients only under this base (or as an entry's fullUrl)
     */
    FhirSearchSet(String base, int maxPatients) {
        this.base = base;
        this.maxPatients = maxPatients;
    }

    int patients() {
        return patients.size();
    }

    /** Takes one page; fails when it is not a searchset or would pass the candidate cap. */
    Page add(JsonNode bundle) {
        if (!"Bundle".equals(bundle.path("resourceType").asText()) || !"searchset".equals(bundle.path("type").asText())) {
            throw RegisterFailure.error("answer is not a FHIR searchset Bundle");
        }
        Integer total = null;
        JsonNode t = bundle.get("total");
        if (t != null) {
            if (!t.canConvertToInt() || !t.isIntegralNumber() || t.asInt() < 0) {
                throw RegisterFailure.error("Bundle.total is not a count");
            }
            total = t.asInt();
        }
        String next = null;
        for (JsonNode link : FhirValues.array(bundle, "link")) {
            if ("next".equals(link.path("relation").asText())) {
                // A next link that names no page, or two of them, leaves the rest unknown: the
                // register was not read whole, so not checked (F5), never "the last page".
                String url = FhirValues.text(link.get("url"));
                if (url == null || url.isBlank()) {
                    throw RegisterFailure.error("answer incomplete: a next link without a url");
                }
                if (next != null) {
                    throw RegisterFailure.error("answer incomplete: two next links");
                }
                next = url;
            }
        }
        Set<String> matchIds = new LinkedHashSet<>();
        for (JsonNode entry : FhirValues.array(bundle, "entry")) {
            JsonNode resource = entry.get("resource");
            if (resource == null || !resource.isObject()) {
                throw RegisterFailure.error("a Bundle entry has no resource");
            }
            String type = resource.path("resourceType").asText();
            String mode = entry.path("search").path("mode").asText(null);
            if ("OperationOutcome".equals(type)) {
                outcome(resource);
                continue;
            }
            String id = resource.path("id").asText();
            if (!ID.matcher(id).matches()) {
                throw RegisterFailure.error("a " + safe(type) + " has no valid id");
            }
            if ("Patient".equals(type) && (mode == null || "match".equals(mode))) {
                matchIds.add(id);
                FhirValues.refuseModifierExtensions(resource);
                JsonNode before = patients.putIfAbsent(id, resource);
                if (before == null && patients.size() > maxPatients) {
                    throw RegisterFailure.error("answer incomplete: the register holds more than " + maxPatients
                            + " candidates for this search");
                }
                String fullUrl = entry.path("fullUrl").asText(null);
                if (fullUrl != null) {
                    patientUrls.put(fullUrl, id);
                }
            } else if ("match".equals(mode)) {
                throw RegisterFailure.error("a Patient search matched a " + safe(type));
            } else if (FACT_TYPES.contains(type)) {
                facts.putIfAbsent(type + "/" + id, resource);
            }
            // Anything else (an included Practitioner or Organization, a Patient brought as an
            // include) is no candidate and no register fact of this profile: ignored.
        }
        return new Page(next, total, matchIds);
    }

    /** The records, each cut to {@code keep}; facts about Patients not among the matches are dropped. */
    List<ChildRecord> records(Set<String> keep) {
        Map<String, List<JsonNode>> byPatient = new HashMap<>();
        for (JsonNode fact : facts.values()) {
            String patient = patientOf(fact);
            if (patient != null && patients.containsKey(patient)) {
                byPatient.computeIfAbsent(patient, k -> new ArrayList<>()).add(fact);
            }
        }
        List<ChildRecord> out = new ArrayList<>(patients.size());
        for (Map.Entry<String, JsonNode> p : patients.entrySet()) {
            ChildRecord r = FhirRecordReader.record(p.getKey(), p.getValue(), byPatient.getOrDefault(p.getKey(), List.of()));
            out.add(FieldProjection.project(r, keep));
        }
        return out;
    }

    /** The id of the Patient a fact is about, or null when it is about none of this register's. */
    String patientOf(JsonNode r) {
        JsonNode ref = switch (r.path("resourceType").asText()) {
            case "Flag", "Encounter", "ServiceRequest" -> r.path("subject").path("reference");
            case "EpisodeOfCare", "RelatedPerson" -> r.path("patient").path("reference");
            case "AuditEvent" -> auditSubject(r);
            default -> null;
        };
        return ref == null ? null : patientId(ref.asText(""));
    }

    private static JsonNode auditSubject(JsonNode r) {
        for (JsonNode e : FhirValues.array(r, "entity")) {
            JsonNode ref = e.path("what").path("reference");
            if (ref.asText("").contains("Patient/") || ref.asText("").startsWith("urn:")) {
                return ref;
            }
        }
        return null;
    }

    /** A reference resolved to one of the matched Patients' ids, or null. */
    String patientId(String reference) {
        if (reference.isEmpty()) {
            return null;
        }
        String byUrl = patientUrls.get(reference);
        if (byUrl != null) {
            return byUrl;
        }
        Matcher m = PATIENT_REF.matcher(reference);
        if (!m.matches()) {
            return null;
        }
        String prefix = m.group(1);
        if (prefix != null && !sameBase(prefix)) {
            // An absolute reference to another server's Patient: not this register's child.
            return null;
        }
        return m.group(2);
    }

    private boolean sameBase(String prefix) {
        if (prefix.equals(base)) {
            return true;
        }
        try {
            URI a = URI.create(prefix);
            URI b = URI.create(base);
            return a.isAbsolute() && b.isAbsolute() && a.getScheme().equalsIgnoreCase(b.getScheme())
                    && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                    && a.getPort() == b.getPort() && stripSlash(a.getPath()).equals(stripSlash(b.getPath()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String stripSlash(String path) {
        String p = path == null ? "" : path;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /**
     * An OperationOutcome in a searchset: an error or fatal issue means the answer is not whole,
     * and so does an issue whose code says the search was cut short, whatever its severity
     * (F5): servers send "too many results, refine" or includes cut off as a warning beside a
     * bundle of fewer entries, or of none.
     */
    private static void outcome(JsonNode outcome) {
        for (JsonNode issue : FhirValues.array(outcome, "issue")) {
            String severity = issue.path("severity").asText();
            if ("error".equals(severity) || "fatal".equals(severity)) {
                throw RegisterFailure.error("the register reported an error with its answer");
            }
            if (CUT_SHORT.contains(issue.path("code").asText())) {
                throw RegisterFailure.error("answer incomplete: the register reported its search cut short ("
                        + issue.path("code").asText() + ")");
            }
        }
    }

    /** The R4 issue-type codes that say a search was not carried out whole. */
    private static final java.util.Set<String> CUT_SHORT = java.util.Set.of("incomplete", "too-costly", "throttled",
            "too-long", "timeout", "transient", "exception");

    /** A resource type safe to put in a reason: letters only, short. */
    static String safe(String type) {
        return type != null && type.matches("[A-Za-z]{1,40}") ? type : "resource";
    }
}
