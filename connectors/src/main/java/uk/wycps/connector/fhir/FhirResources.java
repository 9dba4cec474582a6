package uk.wycps.connector.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.record.EnquiryHistoryEntry;

/**
 * What the gateway writes to a FHIR register, as R4 resources a FHIR server accepts and
 * HAPI's instance validator finds no error in: an enquiry as an {@code AuditEvent}, an audit
 * checkpoint as a {@code Basic} of the profile {@link Fhir#PROFILE_CHECKPOINT}
 * (docs/connectors.md says why Basic). The mock register reads them back with the same class.
 */
public final class FhirResources {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private FhirResources() {
    }

    /** The enquiry-history entry as an AuditEvent about {@code Patient/recordId}, its id the entry's. */
    public static ObjectNode auditEvent(String recordId, EnquiryHistoryEntry e) {
        ObjectNode r = NODES.objectNode();
        r.put("resourceType", "AuditEvent");
        r.put("id", e.entryId());
        ArrayNode ext = NODES.arrayNode();
        ext(ext, Fhir.EXT_ENQUIRY_ID, e.enquiryId());
        ext(ext, Fhir.EXT_ROLE, e.role());
        ext(ext, Fhir.EXT_AGENCY, e.agency());
        ext(ext, Fhir.EXT_AUTHORITY, e.authority());
        ext(ext, Fhir.EXT_PURPOSE, e.purpose());
        ext(ext, Fhir.EXT_CONSENT_BASIS, e.consentBasis());
        if (!ext.isEmpty()) {
            r.set("extension", ext);
        }
        r.putObject("type").put("system", "http://terminology.hl7.org/CodeSystem/audit-event-type").put("code", "rest")
                .put("display", "RESTful Operation");
        r.putArray("subtype").addObject().put("system", Fhir.CS_AUDIT).put("code", Fhir.AUDIT_ENQUIRY);
        // E: a query is an execute action (R4 AuditEvent.action).
        r.put("action", "E");
        if (e.at() != null) {
            r.put("recorded", e.at().toString());
        }
        ObjectNode agent = r.putArray("agent").addObject();
        if (e.subject() != null) {
            agent.putObject("who").put("display", e.subject());
        }
        agent.put("requestor", true);
        r.putObject("source").putObject("observer").put("display", "wycps-gateway");
        r.putArray("entity").addObject().putObject("what").put("reference", "Patient/" + recordId);
        return r;
    }

    /** The entry an AuditEvent of {@link #auditEvent} carries; null values where it has none. */
    public static EnquiryHistoryEntry enquiry(JsonNode r) {
        String at = r.path("recorded").asText(null);
        return new EnquiryHistoryEntry(r.path("id").asText(null), ext(r, Fhir.EXT_ENQUIRY_ID),
                at == null ? null : java.time.OffsetDateTime.parse(at).toInstant(),
                r.path("agent").path(0).path("who").path("display").asText(null), ext(r, Fhir.EXT_ROLE),
                ext(r, Fhir.EXT_AGENCY), ext(r, Fhir.EXT_AUTHORITY), ext(r, Fhir.EXT_PURPOSE), ext(r, Fhir.EXT_CONSENT_BASIS));
    }

    /** The checkpoint as a Basic resource of the checkpoint profile, its id {@link Fhir#checkpointId}. */
    public static ObjectNode checkpoint(AuditCheckpoint c) {
        ObjectNode r = NODES.objectNode();
        r.put("resourceType", "Basic");
        r.put("id", Fhir.checkpointId(c.index()));
        r.putObject("meta").putArray("profile").add(Fhir.PROFILE_CHECKPOINT);
        ArrayNode ext = NODES.arrayNode();
        ext(ext, Fhir.EXT_CHECKPOINT_HEAD, c.head());
        ext(ext, Fhir.EXT_CHECKPOINT_AT, c.at());
        ext(ext, Fhir.EXT_CHECKPOINT_KEY, c.keyId());
        ext(ext, Fhir.EXT_CHECKPOINT_SIGNATURE, c.signature());
        r.set("extension", ext);
        r.putArray("identifier").addObject().put("system", Fhir.CS_CHECKPOINT).put("value", Long.toString(c.index()));
        r.putObject("code").putArray("coding").addObject().put("system", Fhir.CS_CHECKPOINT).put("code", Fhir.CHECKPOINT);
        return r;
    }

    /** The checkpoint a Basic of {@link #checkpoint} carries, or null when it is not one. */
    public static AuditCheckpoint checkpoint(JsonNode r) {
        if (!"Basic".equals(r.path("resourceType").asText())
                || !FhirValues.hasCode(r.path("code"), Fhir.CS_CHECKPOINT, Fhir.CHECKPOINT)) {
            return null;
        }
        String index = null;
        for (JsonNode id : r.path("identifier")) {
            if (Fhir.CS_CHECKPOINT.equals(id.path("system").asText())) {
                index = id.path("value").asText(null);
            }
        }
        if (index == null || !index.matches("[0-9]{1,18}")) {
            return null;
        }
        return new AuditCheckpoint(Long.parseLong(index), ext(r, Fhir.EXT_CHECKPOINT_HEAD), ext(r, Fhir.EXT_CHECKPOINT_AT),
                ext(r, Fhir.EXT_CHECKPOINT_KEY), ext(r, Fhir.EXT_CHECKPOINT_SIGNATURE));
    }

    private static void ext(ArrayNode ext, String url, String value) {
        if (value != null) {
            ext.addObject().put("url", url).put("valueString", value);
        }
    }

    private static String ext(JsonNode resource, String url) {
        for (JsonNode e : resource.path("extension")) {
            if (url.equals(e.path("url").asText())) {
                return e.path("valueString").asText(null);
            }
        }
        return null;
    }
}
