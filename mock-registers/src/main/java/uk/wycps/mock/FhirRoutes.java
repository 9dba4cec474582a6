package uk.wycps.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import uk.wycps.record.SearchCriteria;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.fhir.Fhir;
import uk.wycps.connector.fhir.FhirResources;
import uk.wycps.record.Address;
import uk.wycps.record.AddressPeriod;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.ConcernCategory;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.Gender;
import uk.wycps.record.Meeting;
import uk.wycps.record.PersonName;
import uk.wycps.record.RecordJson;
import uk.wycps.record.Referral;
import uk.wycps.record.Registration;
import uk.wycps.record.Relationship;

/**
 * The {@code fhir-r4} dialect of a mock register, valid R4 by HAPI's instance validator:
 * <ul>
 *   <li>{@code GET /metadata}: a CapabilityStatement (the Patient search parameters, the
 *       {@code _revinclude}s, the writes);</li>
 *   <li>{@code GET /Patient?family=|phonetic=&given=&birthdate=}: a searchset Bundle paged by
 *       {@code _count} (at most {@link #MAX_PAGE}) with {@code self} and {@code next} links and
 *       {@code total}; each page holds its Patients (limited to {@code _elements}) and, when
 *       {@code _revinclude} asks, their register facts as Flag, EpisodeOfCare, RelatedPerson,
 *       Encounter, ServiceRequest and AuditEvent resources; absolute fullUrls;</li>
 *   <li>{@code PUT /AuditEvent/{id}} records an enquiry, {@code PUT /Basic/{id}} keeps an audit
 *       checkpoint (201 created, 200 already held, 409 a different one held);</li>
 *   <li>every error, injected faults and unknown paths too, is an OperationOutcome.</li>
 * </ul>
 * The search is the register's loose pre-filter ({@link CandidateIndex}); a birth date range
 * ({@code ge}/{@code le}) is then applied strictly, as FHIR says.
 */
final class FhirRoutes {

    /** The largest page: HAPI's own default cap. */
    static final int MAX_PAGE = 50;
    /** Marks a request of this dialect, so that its errors are OperationOutcomes. */
    static final String FHIR_ERRORS = "mock.fhirErrors";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> ELEMENTS = Set.of("id", "meta", "name", "birthDate", "gender", "communication", "address", "extension");
    private static final Set<String> REVINCLUDES = Set.of("Flag:patient", "EpisodeOfCare:patient", "RelatedPerson:patient",
            "Encounter:patient", "ServiceRequest:patient", "AuditEvent:patient");
    private static final List<String> SEARCH_PARAMS = List.of("family", "given", "phonetic", "birthdate", "gender",
            "address-postalcode");

    private final RegisterVerticle verticle;
    private final MockRegister register;

    FhirRoutes(RegisterVerticle verticle, MockRegister register) {
        this.verticle = verticle;
        this.register = register;
    }

    void mount(Router router) {
        router.route().order(-1).handler(ctx -> {
            String path = ctx.normalizedPath();
            // The project's own endpoints (faults, statistics, the canonical checkpoints) keep API.md's errors.
            if (!path.startsWith("/admin") && !path.startsWith("/statistics") && !path.startsWith("/audit-checkpoints")) {
                ctx.put(FHIR_ERRORS, Boolean.TRUE);
            }
            ctx.next();
        });
        router.route("/Patient*").handler(verticle::injectFaults);
        router.route("/AuditEvent/*").handler(verticle::injectFaults);
        router.route("/Basic/*").handler(verticle::injectFaults);
        router.get("/metadata").handler(this::metadata);
        router.get("/Patient").handler(this::search);
        router.put("/AuditEvent/:id").handler(this::auditEvent);
        router.put("/Basic/:id").handler(this::checkpoint);
    }

    /** The search parameters read from a FHIR query, or an IllegalArgumentException. */
    private record Query(SearchCriteria criteria, LocalDate from, LocalDate to, Set<String> elements,
                         Set<String> includes, int count, int offset) {
    }

    private static Query query(io.vertx.core.MultiMap p) {
        List<String> families = new ArrayList<>(orList(p.get("family")));
        families.addAll(orList(p.get("phonetic")));
        families.removeIf(String::isBlank);
        List<String> givens = new ArrayList<>(orList(p.get("given")));
        givens.removeIf(String::isBlank);
        if (families.isEmpty() && givens.isEmpty()) {
            throw new IllegalArgumentException("family, phonetic or given is required");
        }
        List<PersonName> aliases = new ArrayList<>();
        if (families.size() > 1) {
            families.subList(1, families.size()).forEach(f -> aliases.add(new PersonName(null, f)));
        }
        LocalDate exact = null;
        LocalDate from = null;
        LocalDate to = null;
        for (String b : p.getAll("birthdate")) {
            if (b.startsWith("ge")) {
                from = LocalDate.parse(b.substring(2));
            } else if (b.startsWith("le")) {
                to = LocalDate.parse(b.substring(2));
            } else {
                exact = LocalDate.parse(b.startsWith("eq") ? b.substring(2) : b);
            }
        }
        String gender = p.get("gender");
        SearchCriteria criteria = new SearchCriteria(givens.isEmpty() ? null : givens.get(0),
                families.isEmpty() ? "" : families.get(0), givens.size() > 1 ? givens.subList(1, givens.size()) : List.of(),
                aliases, exact, gender == null ? null : Gender.fromCode(gender), p.get("address-postalcode"));
        Set<String> elements = new HashSet<>();
        String e = p.get("_elements");
        if (e != null) {
            for (String el : e.split(",")) {
                if (!ELEMENTS.contains(el)) {
                    throw new IllegalArgumentException("unknown element");
                }
                elements.add(el);
            }
        } else {
            elements.addAll(ELEMENTS);
        }
        Set<String> includes = new HashSet<>(p.getAll("_revinclude"));
        if (!REVINCLUDES.containsAll(includes)) {
            throw new IllegalArgumentException("unknown _revinclude");
        }
        int count = p.get("_count") == null ? MAX_PAGE : Math.min(MAX_PAGE, Integer.parseInt(p.get("_count")));
        int offset = p.get("_offset") == null ? 0 : Integer.parseInt(p.get("_offset"));
        if (count < 1 || offset < 0) {
            throw new IllegalArgumentException("bad paging");
        }
        return new Query(criteria, from, to, elements, includes, count, offset);
    }

    private void search(RoutingContext ctx) {
        Query q;
        try {
            q = query(ctx.queryParams());
        } catch (RuntimeException e) {
            operationOutcome(ctx, 400, "invalid", "the search parameters are not valid");
            return;
        }
        String self = base() + ctx.request().uri();
        verticle.respond(ctx, () -> {
            List<ChildRecord> found = new ArrayList<>();
            for (ChildRecord r : register.search(q.criteria())) {
                LocalDate dob = r.dateOfBirth();
                if ((q.from() == null || dob != null && !dob.isBefore(q.from()))
                        && (q.to() == null || dob != null && !dob.isAfter(q.to()))) {
                    found.add(r);
                }
            }
            List<ChildRecord> page = found.subList(Math.min(q.offset(), found.size()),
                    Math.min(q.offset() + q.count(), found.size()));
            ObjectNode bundle = NODES.objectNode();
            bundle.put("resourceType", "Bundle");
            bundle.put("id", java.util.UUID.randomUUID().toString());
            bundle.putObject("meta").put("lastUpdated", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
            bundle.put("type", "searchset");
            bundle.put("total", found.size());
            ArrayNode links = bundle.putArray("link");
            links.addObject().put("relation", "self").put("url", self);
            if (q.offset() + q.count() < found.size()) {
                links.addObject().put("relation", "next").put("url", withOffset(self, q.offset() + q.count()));
            }
            ArrayNode entries = NODES.arrayNode();
            for (ChildRecord r : page) {
                entry(entries, patient(r, q.elements()), "match");
            }
            for (ChildRecord r : page) {
                for (ObjectNode fact : facts(r, q.includes())) {
                    entry(entries, fact, "include");
                }
            }
            if (!entries.isEmpty()) {
                bundle.set("entry", entries);
            }
            return Buffer.buffer(RecordJson.mapper().writeValueAsBytes(bundle));
        }, Fhir.CONTENT_TYPE);
    }

    /** The same search at another offset. */
    private static String withOffset(String self, int offset) {
        String without = self.replaceAll("([?&])_offset=[0-9]*&?", "$1");
        if (without.endsWith("&") || without.endsWith("?")) {
            without = without.substring(0, without.length() - 1);
        }
        return without + (without.contains("?") ? "&" : "?") + "_offset=" + offset;
    }

    private String base() {
        String b = register.baseUrl().toString();
        return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }

    /** The CapabilityStatement: what this mock serves, and nothing more. */
    private void metadata(RoutingContext ctx) {
        ObjectNode c = NODES.objectNode();
        c.put("resourceType", "CapabilityStatement");
        c.put("status", "active");
        c.put("date", "2026-01-01");
        c.put("publisher", "WYCPS mock registers");
        c.put("kind", "instance");
        c.putObject("software").put("name", "wycps mock register (" + register.authority() + ")");
        c.putObject("implementation").put("description", "synthetic register for testing").put("url", base());
        c.put("fhirVersion", "4.0.1");
        c.putArray("format").add("application/fhir+json").add("json");
        ObjectNode rest = c.putArray("rest").addObject().put("mode", "server");
        ObjectNode patient = rest.putArray("resource").addObject().put("type", "Patient");
        patient.putArray("interaction").addObject().put("code", "search-type");
        REVINCLUDES.stream().sorted().forEach(i -> patient.withArray("searchRevInclude").add(i));
        for (String name : SEARCH_PARAMS) {
            patient.withArray("searchParam").addObject().put("name", name)
                    .put("definition", "http://hl7.org/fhir/SearchParameter/individual-" + name)
                    .put("type", "birthdate".equals(name) ? "date" : "gender".equals(name) ? "token" : "string");
        }
        ArrayNode resources = rest.withArray("resource");
        for (String type : List.of("AuditEvent", "Basic")) {
            ObjectNode r = resources.addObject().put("type", type);
            r.putArray("interaction").addObject().put("code", "update");
            r.put("updateCreate", true);
        }
        verticle.answer(ctx, 200, Buffer.buffer(c.toString()), Fhir.CONTENT_TYPE);
    }

    /** FHIR's OR list: values split on commas not escaped by a backslash. */
    static List<String> orList(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                cur.append(value.charAt(++i));
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private void entry(ArrayNode entries, ObjectNode resource, String mode) {
        ObjectNode e = entries.addObject();
        e.put("fullUrl", base() + "/" + resource.path("resourceType").asText() + "/" + resource.path("id").asText());
        e.set("resource", resource);
        e.putObject("search").put("mode", mode);
    }

    static ObjectNode patient(ChildRecord r, Set<String> elements) {
        ObjectNode p = NODES.objectNode();
        p.put("resourceType", "Patient");
        p.put("id", r.recordId());
        if (r.shieldedByOwner()) {
            // A security label, kept whatever _elements asks for: subsetting must never lose it (A10).
            p.putObject("meta").putArray("security").addObject()
                    .put("system", Fhir.CS_SECURITY).put("code", Fhir.SECURITY_SHIELDED)
                    .put("display", "shielded: location never leaves the owning authority");
        }
        if (elements.contains("extension")) {
            ArrayNode ext = NODES.arrayNode();
            if (r.ethnicity() != null) {
                ext.addObject().put("url", Fhir.EXT_ETHNICITY).putObject("valueCodeableConcept").put("text", r.ethnicity());
            }
            if (r.legalStatus() != null) {
                ext.addObject().put("url", Fhir.EXT_LEGAL_STATUS).put("valueString", r.legalStatus());
            }
            setIf(p, "extension", ext);
        }
        if (elements.contains("name")) {
            ArrayNode names = NODES.arrayNode();
            ObjectNode official = names.addObject().put("use", "official");
            putIf(official, "family", r.familyName());
            if (r.givenName() != null) {
                official.putArray("given").add(r.givenName());
            }
            for (PersonName a : list(r.aliases())) {
                if (a.familyName() == null && a.givenName() == null) {
                    continue;
                }
                ObjectNode n = names.addObject().put("use", "nickname");
                putIf(n, "family", a.familyName());
                if (a.givenName() != null) {
                    n.putArray("given").add(a.givenName());
                }
            }
            setIf(p, "name", names);
        }
        if (elements.contains("gender") && r.gender() != null) {
            p.put("gender", r.gender().code());
        }
        if (elements.contains("birthDate") && r.dateOfBirth() != null) {
            p.put("birthDate", r.dateOfBirth().toString());
        }
        if (elements.contains("address")) {
            ArrayNode addresses = NODES.arrayNode();
            if (r.address() != null) {
                addresses.add(address(r.address(), "home"));
            }
            for (AddressPeriod h : list(r.addressHistory())) {
                // A former address: "old", whether or not its end is known.
                ObjectNode a = address(h.address() == null ? new Address(null, null, null, null) : h.address(), "old");
                if (h.from() != null || h.to() != null) {
                    ObjectNode period = a.putObject("period");
                    putIf(period, "start", h.from() == null ? null : h.from().toString());
                    putIf(period, "end", h.to() == null ? null : h.to().toString());
                }
                addresses.add(a);
            }
            setIf(p, "address", addresses);
        }
        if (elements.contains("communication")) {
            ArrayNode comms = NODES.arrayNode();
            for (String l : list(r.languages())) {
                comms.addObject().putObject("language").put("text", l);
            }
            setIf(p, "communication", comms);
        }
        return p;
    }

    private static ObjectNode address(Address a, String use) {
        ObjectNode n = NODES.objectNode().put("use", use);
        if (a.line1() != null) {
            n.putArray("line").add(a.line1());
        }
        putIf(n, "city", a.town());
        putIf(n, "district", a.authority());
        putIf(n, "postalCode", a.postcode());
        return n;
    }

    static List<ObjectNode> facts(ChildRecord r, Set<String> includes) {
        List<ObjectNode> out = new ArrayList<>();
        String patient = "Patient/" + r.recordId();
        String id = r.recordId();
        if (includes.contains("Flag:patient")) {
            if (r.lookedAfterIndicator() != null) {
                ObjectNode f = resource("Flag", id + "-lac", "subject", patient);
                f.put("status", r.lookedAfterIndicator() ? "active" : "inactive");
                code(f.putObject("code"), Fhir.CS_FLAG, Fhir.FLAG_LOOKED_AFTER);
                out.add(f);
            }
            int i = 0;
            for (ConcernCategory c : list(r.concernCategories())) {
                ObjectNode f = resource("Flag", id + "-cat" + (i++), "subject", patient);
                f.put("status", "active");
                code(f.putArray("category").addObject(), Fhir.CS_CONCERN, c.code());
                code(f.putObject("code"), Fhir.CS_FLAG, Fhir.FLAG_CONCERN);
                out.add(f);
            }
            if (r.healthNotes() != null) {
                ObjectNode f = resource("Flag", id + "-health", "subject", patient);
                f.put("status", "active");
                code(f.putObject("code"), Fhir.CS_FLAG, Fhir.FLAG_HEALTH).put("text", r.healthNotes());
                out.add(f);
            }
            if (r.concernDetails() != null) {
                ObjectNode f = resource("Flag", id + "-details", "subject", patient);
                f.put("status", "active");
                code(f.putObject("code"), Fhir.CS_FLAG, Fhir.FLAG_DETAILS).put("text", r.concernDetails());
                out.add(f);
            }
        }
        if (includes.contains("EpisodeOfCare:patient")) {
            if (r.registration() != null) {
                out.add(episode(id + "-reg", patient, r.registration(), Fhir.EPISODE_CURRENT));
            }
            int i = 0;
            for (Registration g : list(r.registrationHistory())) {
                out.add(episode(id + "-reg" + (i++), patient, g, Fhir.EPISODE_HISTORY));
            }
        }
        if (includes.contains("RelatedPerson:patient")) {
            int i = 0;
            for (Relationship rel : list(r.relationships())) {
                ObjectNode p = resource("RelatedPerson", id + "-rp" + (i++), "patient", patient);
                ArrayNode ext = NODES.arrayNode();
                if (rel.concernIndicator() != null) {
                    ext.addObject().put("url", Fhir.EXT_CONCERN_INDICATOR).put("valueBoolean", rel.concernIndicator());
                }
                if (rel.scheduleOneIndicator() != null) {
                    ext.addObject().put("url", Fhir.EXT_SCHEDULE_ONE).put("valueBoolean", rel.scheduleOneIndicator());
                }
                setIf(p, "extension", ext);
                if (rel.relationship() != null) {
                    p.putArray("relationship").addObject().put("text", rel.relationship());
                }
                if (rel.name() != null) {
                    p.putArray("name").addObject().put("text", rel.name());
                }
                out.add(p);
            }
        }
        if (includes.contains("Encounter:patient")) {
            int i = 0;
            for (Meeting m : list(r.meetings())) {
                ObjectNode e = resource("Encounter", id + "-conf" + (i++), "subject", patient);
                if (m.outcome() != null) {
                    e.putArray("extension").addObject().put("url", Fhir.EXT_MEETING_OUTCOME).put("valueString", m.outcome());
                }
                e.put("status", "finished");
                e.putObject("class").put("system", "http://terminology.hl7.org/CodeSystem/v3-ActCode").put("code", "AMB");
                ObjectNode type = code(e.putArray("type").addObject(), Fhir.CS_MEETING, Fhir.MEETING_CONFERENCE);
                putIf(type, "text", m.type());
                if (m.date() != null) {
                    e.putObject("period").put("start", m.date().toString());
                }
                out.add(e);
            }
        }
        if (includes.contains("ServiceRequest:patient")) {
            int i = 0;
            for (Referral f : list(r.referrals())) {
                ObjectNode s = resource("ServiceRequest", id + "-ref" + (i++), "subject", patient);
                s.put("status", "completed");
                s.put("intent", "order");
                putIf(s, "authoredOn", f.date() == null ? null : f.date().toString());
                if (f.source() != null) {
                    s.putObject("requester").put("display", f.source());
                }
                if (f.reason() != null) {
                    s.putArray("reasonCode").addObject().put("text", f.reason());
                }
                out.add(s);
            }
        }
        if (includes.contains("AuditEvent:patient")) {
            for (EnquiryHistoryEntry e : list(r.enquiryHistory())) {
                if (e.entryId() != null && e.entryId().matches("[A-Za-z0-9\\-.]{1,64}")) {
                    out.add(FhirResources.auditEvent(r.recordId(), e));
                }
            }
        }
        return out;
    }

    private static ObjectNode episode(String id, String patient, Registration g, String type) {
        ObjectNode e = resource("EpisodeOfCare", id, "patient", patient);
        if (g.category() != null) {
            e.putArray("extension").addObject().put("url", Fhir.EXT_CONCERN_CATEGORY).putObject("valueCoding")
                    .put("system", Fhir.CS_CONCERN).put("code", g.category().code());
        }
        e.put("status", Registration.ACTIVE.equals(g.status()) ? "active" : "finished");
        code(e.putArray("type").addObject(), Fhir.CS_EPISODE, type);
        if (g.start() != null || g.end() != null) {
            ObjectNode period = e.putObject("period");
            putIf(period, "start", g.start() == null ? null : g.start().toString());
            putIf(period, "end", g.end() == null ? null : g.end().toString());
        }
        return e;
    }

    /** Records an enquiry sent as an AuditEvent about one of this register's Patients. */
    private void auditEvent(RoutingContext ctx) {
        register.countEnquiryDelivery();
        String id = ctx.pathParam("id");
        JsonNode b = body(ctx);
        if (b == null || !"AuditEvent".equals(b.path("resourceType").asText()) || !id.equals(b.path("id").asText())) {
            operationOutcome(ctx, 400, "invalid", "the body is not the AuditEvent of this id");
            return;
        }
        String ref = b.path("entity").path(0).path("what").path("reference").asText("");
        String recordId = ref.startsWith("Patient/") ? ref.substring(8) : "";
        if (!register.holds(recordId)) {
            operationOutcome(ctx, 404, "not-found", "no such Patient");
            return;
        }
        EnquiryHistoryEntry entry;
        try {
            entry = FhirResources.enquiry(b);
        } catch (RuntimeException e) {
            operationOutcome(ctx, 400, "invalid", "the AuditEvent is not valid");
            return;
        }
        boolean stored = register.addEnquiry(recordId, entry);
        verticle.answer(ctx, stored ? 201 : 200, Buffer.buffer(b.toString()), Fhir.CONTENT_TYPE);
    }

    /** Keeps an audit checkpoint sent as a Basic of the checkpoint profile; 409 if the index holds another. */
    private void checkpoint(RoutingContext ctx) {
        JsonNode b = body(ctx);
        AuditCheckpoint checkpoint = b == null ? null : FhirResources.checkpoint(b);
        if (checkpoint == null || checkpoint.head() == null || checkpoint.signature() == null
                || !ctx.pathParam("id").equals(Fhir.checkpointId(checkpoint.index()))
                || !ctx.pathParam("id").equals(b.path("id").asText())) {
            operationOutcome(ctx, 400, "invalid", "the body is not the audit checkpoint of this id");
            return;
        }
        try {
            boolean stored = register.addCheckpoint(checkpoint);
            verticle.answer(ctx, stored ? 201 : 200, Buffer.buffer(b.toString()), Fhir.CONTENT_TYPE);
        } catch (IllegalStateException e) {
            operationOutcome(ctx, 409, "conflict", "a different checkpoint is kept for this index");
        }
    }

    private static JsonNode body(RoutingContext ctx) {
        try {
            Buffer buffer = ctx.body().buffer();
            return buffer == null ? null : RecordJson.mapper().readTree(buffer.getBytes());
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** An error as FHIR writes one: an OperationOutcome with the HTTP status. */
    static void operationOutcome(RoutingContext ctx, int status, String code, String message) {
        ObjectNode o = NODES.objectNode().put("resourceType", "OperationOutcome");
        o.putArray("issue").addObject().put("severity", status >= 500 ? "fatal" : "error").put("code", code)
                .put("diagnostics", message);
        if (!ctx.response().ended() && !ctx.response().closed()) {
            ctx.response().setStatusCode(status).putHeader("Content-Type", Fhir.CONTENT_TYPE).end(o.toString());
        }
    }

    private static ObjectNode resource(String type, String id, String refField, String ref) {
        ObjectNode r = NODES.objectNode().put("resourceType", type).put("id", id);
        if (refField != null) {
            r.putObject(refField).put("reference", ref);
        }
        return r;
    }

    private static ObjectNode code(ObjectNode concept, String system, String code) {
        concept.putArray("coding").addObject().put("system", system).put("code", code);
        return concept;
    }

    private static void putIf(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    /** FHIR has no empty arrays: a list is set only when it holds something. */
    private static void setIf(ObjectNode n, String field, ArrayNode values) {
        if (!values.isEmpty()) {
            n.set(field, values);
        }
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
