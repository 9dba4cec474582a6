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
import uk.wycps.connector.fhir.Fhir;
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
 * The {@code fhir-r4} dialect of a mock register: {@code GET /Patient?family=&given=&birthdate=}
 * answers a searchset Bundle with the register facts as Flag, EpisodeOfCare, RelatedPerson,
 * Encounter, ServiceRequest and AuditEvent resources, each only when {@code _revinclude} asks
 * for it, and the Patient limited to {@code _elements}; {@code PUT /AuditEvent/{id}} records an
 * enquiry (201 created, 200 already held).
 */
final class FhirRoutes {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> ELEMENTS = Set.of("id", "meta", "name", "birthDate", "gender", "communication", "address",
            "extension");

    private final RegisterVerticle verticle;
    private final MockRegister register;

    FhirRoutes(RegisterVerticle verticle, MockRegister register) {
        this.verticle = verticle;
        this.register = register;
    }

    void mount(Router router) {
        router.route("/Patient*").handler(verticle::injectFaults);
        router.route("/AuditEvent/*").handler(verticle::injectFaults);
        router.get("/Patient").handler(this::search);
        router.put("/AuditEvent/:id").handler(this::auditEvent);
    }

    private void search(RoutingContext ctx) {
        var p = ctx.queryParams();
        SearchCriteria criteria;
        Set<String> elements = new HashSet<>();
        Set<String> includes = new HashSet<>(p.getAll("_revinclude"));
        try {
            List<String> families = orList(p.get("family"));
            List<String> givens = orList(p.get("given"));
            if (families.isEmpty() || families.get(0).isBlank()) {
                throw new IllegalArgumentException("family is required");
            }
            List<PersonName> aliases = new ArrayList<>();
            families.subList(1, families.size()).forEach(f -> aliases.add(new PersonName(null, f)));
            String birth = p.get("birthdate");
            String gender = p.get("gender");
            criteria = new SearchCriteria(givens.isEmpty() ? null : givens.get(0), families.get(0),
                    givens.size() > 1 ? givens.subList(1, givens.size()) : List.of(), aliases,
                    birth == null ? null : LocalDate.parse(birth), gender == null ? null : Gender.fromCode(gender),
                    p.get("address-postalcode"));
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
        } catch (RuntimeException e) {
            operationOutcome(ctx, 400, "the search parameters are not valid");
            return;
        }
        verticle.respond(ctx, () -> {
            ObjectNode bundle = NODES.objectNode();
            bundle.put("resourceType", "Bundle");
            bundle.put("type", "searchset");
            ArrayNode entries = NODES.arrayNode();
            List<ChildRecord> found = register.search(criteria);
            for (ChildRecord r : found) {
                entry(entries, patient(r, elements), "match");
            }
            for (ChildRecord r : found) {
                for (ObjectNode fact : facts(r, includes)) {
                    entry(entries, fact, "include");
                }
            }
            bundle.put("total", found.size());
            bundle.set("entry", entries);
            return Buffer.buffer(RecordJson.mapper().writeValueAsBytes(bundle));
        }, Fhir.CONTENT_TYPE);
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

    private static void entry(ArrayNode entries, ObjectNode resource, String mode) {
        ObjectNode e = entries.addObject();
        e.put("fullUrl", "urn:wycps:" + resource.path("resourceType").asText() + "/" + resource.path("id").asText());
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
            ArrayNode ext = p.putArray("extension");
            if (r.ethnicity() != null) {
                ext.addObject().put("url", Fhir.EXT_ETHNICITY).putObject("valueCodeableConcept").put("text", r.ethnicity());
            }
            if (r.legalStatus() != null) {
                ext.addObject().put("url", Fhir.EXT_LEGAL_STATUS).put("valueString", r.legalStatus());
            }
        }
        if (elements.contains("name")) {
            ArrayNode names = p.putArray("name");
            ObjectNode official = names.addObject().put("use", "official");
            putIf(official, "family", r.familyName());
            if (r.givenName() != null) {
                official.putArray("given").add(r.givenName());
            }
            for (PersonName a : list(r.aliases())) {
                ObjectNode n = names.addObject().put("use", "nickname");
                putIf(n, "family", a.familyName());
                if (a.givenName() != null) {
                    n.putArray("given").add(a.givenName());
                }
            }
        }
        if (elements.contains("gender") && r.gender() != null) {
            p.put("gender", r.gender().code());
        }
        if (elements.contains("birthDate") && r.dateOfBirth() != null) {
            p.put("birthDate", r.dateOfBirth().toString());
        }
        if (elements.contains("address")) {
            ArrayNode addresses = p.putArray("address");
            if (r.address() != null) {
                addresses.add(address(r.address(), "home"));
            }
            for (AddressPeriod h : list(r.addressHistory())) {
                ObjectNode a = h.address() == null ? NODES.objectNode() : address(h.address(), h.to() == null ? "home" : "old");
                ObjectNode period = a.putObject("period");
                putIf(period, "start", h.from() == null ? null : h.from().toString());
                putIf(period, "end", h.to() == null ? null : h.to().toString());
                addresses.add(a);
            }
        }
        if (elements.contains("communication")) {
            ArrayNode comms = p.putArray("communication");
            for (String l : list(r.languages())) {
                comms.addObject().putObject("language").put("text", l);
            }
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
                ArrayNode ext = p.putArray("extension");
                if (rel.concernIndicator() != null) {
                    ext.addObject().put("url", Fhir.EXT_CONCERN_INDICATOR).put("valueBoolean", rel.concernIndicator());
                }
                if (rel.scheduleOneIndicator() != null) {
                    ext.addObject().put("url", Fhir.EXT_SCHEDULE_ONE).put("valueBoolean", rel.scheduleOneIndicator());
                }
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
                if (m.type() != null) {
                    e.putArray("type").addObject().put("text", m.type());
                }
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
                out.add(auditEvent(r.recordId(), e));
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
        ObjectNode period = e.putObject("period");
        putIf(period, "start", g.start() == null ? null : g.start().toString());
        putIf(period, "end", g.end() == null ? null : g.end().toString());
        return e;
    }

    private static ObjectNode auditEvent(String recordId, EnquiryHistoryEntry e) {
        ObjectNode r = resource("AuditEvent", e.entryId(), null, null);
        ArrayNode ext = r.putArray("extension");
        ext(ext, Fhir.EXT_ENQUIRY_ID, e.enquiryId());
        ext(ext, Fhir.EXT_ROLE, e.role());
        ext(ext, Fhir.EXT_AGENCY, e.agency());
        ext(ext, Fhir.EXT_AUTHORITY, e.authority());
        ext(ext, Fhir.EXT_PURPOSE, e.purpose());
        ext(ext, Fhir.EXT_CONSENT_BASIS, e.consentBasis());
        r.putObject("type").put("system", "http://terminology.hl7.org/CodeSystem/audit-event-type").put("code", "rest");
        putIf(r, "recorded", e.at() == null ? null : e.at().toString());
        ObjectNode agent = r.putArray("agent").addObject().put("requestor", true);
        if (e.subject() != null) {
            agent.putObject("who").put("display", e.subject());
        }
        r.putObject("source").putObject("observer").put("display", "wycps-gateway");
        r.putArray("entity").addObject().putObject("what").put("reference", "Patient/" + recordId);
        return r;
    }

    /** Records an enquiry sent as an AuditEvent about one of this register's Patients. */
    private void auditEvent(RoutingContext ctx) {
        register.countEnquiryDelivery();
        String id = ctx.pathParam("id");
        JsonNode b;
        try {
            Buffer buffer = ctx.body().buffer();
            b = buffer == null ? null : RecordJson.mapper().readTree(buffer.getBytes());
        } catch (java.io.IOException | RuntimeException e) {
            b = null;
        }
        if (b == null || !"AuditEvent".equals(b.path("resourceType").asText()) || !id.equals(b.path("id").asText())) {
            operationOutcome(ctx, 400, "the body is not the AuditEvent of this id");
            return;
        }
        String ref = b.path("entity").path(0).path("what").path("reference").asText("");
        String recordId = ref.startsWith("Patient/") ? ref.substring(8) : "";
        if (!register.holds(recordId)) {
            operationOutcome(ctx, 404, "no such Patient");
            return;
        }
        EnquiryHistoryEntry entry;
        try {
            String at = b.path("recorded").asText(null);
            entry = new EnquiryHistoryEntry(id, ext(b, Fhir.EXT_ENQUIRY_ID), at == null ? null : Instant.parse(at),
                    b.path("agent").path(0).path("who").path("display").asText(null), ext(b, Fhir.EXT_ROLE),
                    ext(b, Fhir.EXT_AGENCY), ext(b, Fhir.EXT_AUTHORITY), ext(b, Fhir.EXT_PURPOSE), ext(b, Fhir.EXT_CONSENT_BASIS));
        } catch (RuntimeException e) {
            operationOutcome(ctx, 400, "the AuditEvent is not valid");
            return;
        }
        boolean stored = register.addEnquiry(recordId, entry);
        verticle.answer(ctx, stored ? 201 : 200, Buffer.buffer(b.toString()), Fhir.CONTENT_TYPE);
    }

    private static String ext(JsonNode resource, String url) {
        for (JsonNode e : resource.path("extension")) {
            if (url.equals(e.path("url").asText())) {
                return e.path("valueString").asText(null);
            }
        }
        return null;
    }

    private static void ext(ArrayNode ext, String url, String value) {
        if (value != null) {
            ext.addObject().put("url", url).put("valueString", value);
        }
    }

    private void operationOutcome(RoutingContext ctx, int status, String message) {
        ObjectNode o = NODES.objectNode().put("resourceType", "OperationOutcome");
        o.putArray("issue").addObject().put("severity", "error").put("code", "invalid").put("diagnostics", message);
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

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
