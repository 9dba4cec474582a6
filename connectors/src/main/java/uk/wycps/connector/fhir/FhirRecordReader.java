package uk.wycps.connector.fhir;

import static uk.wycps.connector.fhir.FhirValues.array;
import static uk.wycps.connector.fhir.FhirValues.bool;
import static uk.wycps.connector.fhir.FhirValues.code;
import static uk.wycps.connector.fhir.FhirValues.date;
import static uk.wycps.connector.fhir.FhirValues.extension;
import static uk.wycps.connector.fhir.FhirValues.hasCode;
import static uk.wycps.connector.fhir.FhirValues.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.record.Address;
import uk.wycps.record.AddressPeriod;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.ConcernCategory;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.Gender;
import uk.wycps.record.Meeting;
import uk.wycps.record.PersonName;
import uk.wycps.record.Referral;
import uk.wycps.record.Registration;
import uk.wycps.record.Relationship;

/**
 * One Patient and its register facts to the canonical record, as docs/connectors.md describes
 * the profile. Only register facts count: a Flag, EpisodeOfCare, Encounter or AuditEvent
 * without the profile's code is the server's other business and is ignored; one marked
 * {@code entered-in-error} never happened. A fact that is the profile's but cannot be read is
 * an ERROR, never dropped.
 */
final class FhirRecordReader {

    /** Statuses that say a resource was recorded by mistake or never took effect. */
    private static final Set<String> VOID = Set.of("entered-in-error", "cancelled", "revoked");
    /** Address uses that are not where the child lives. */
    private static final Set<String> NOT_A_HOME = Set.of("work", "billing");

    private FhirRecordReader() {
    }

    static ChildRecord record(String id, JsonNode patient, List<JsonNode> facts) {
        Names names = names(patient);
        Addresses addresses = addresses(patient);
        Facts f = new Facts();
        for (JsonNode r : facts) {
            f.add(r);
        }
        return new ChildRecord(id, names.given, names.family, names.aliases, date(patient.get("birthDate"), "Patient.birthDate"),
                gender(patient.get("gender")), languages(patient), addresses.current, addresses.history,
                text(extension(patient, Fhir.EXT_LEGAL_STATUS).get("valueString")),
                f.categories, f.registration, f.registrations, f.meetings, f.enquiries, f.referrals, f.relationships,
                f.lookedAfter, ethnicity(patient), f.health, f.details, shielded(patient));
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

    // ---- the Patient --------------------------------------------------------------------------

    private record Names(String given, String family, List<PersonName> aliases) {
    }

    /** The official name (else the usual one, else the first); every other name is an alias. */
    private static Names names(JsonNode patient) {
        JsonNode list = array(patient, "name");
        JsonNode chosen = null;
        for (String use : List.of("official", "usual")) {
            for (JsonNode n : list) {
                if (chosen == null && use.equals(n.path("use").asText())) {
                    chosen = n;
                }
            }
        }
        if (chosen == null && list.size() > 0) {
            chosen = list.get(0);
        }
        String given = null;
        String family = null;
        List<PersonName> aliases = new ArrayList<>();
        for (JsonNode n : list) {
            String g = text(array(n, "given").path(0).isMissingNode() ? null : array(n, "given").get(0));
            String fam = text(n.get("family"));
            if (n == chosen) {
                given = g;
                family = fam;
            } else if (g != null || fam != null) {
                aliases.add(new PersonName(g, fam));
            }
        }
        return new Names(given, family, aliases);
    }

    /**
     * R4's gender is male, female, other or unknown; the canonical record has no "other", and
     * reads it as {@code unknown}: it then carries no evidence in matching, for or against.
     */
    private static Gender gender(JsonNode n) {
        String s = text(n);
        if (s == null) {
            return null;
        }
        return switch (s) {
            case "female" -> Gender.FEMALE;
            case "male" -> Gender.MALE;
            case "other", "unknown" -> Gender.UNKNOWN;
            default -> throw RegisterFailure.error("Patient.gender is not an R4 gender");
        };
    }

    /** A language's text, else its coding's display, else its code (a BCP-47 tag). */
    private static List<String> languages(JsonNode patient) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : array(patient, "communication")) {
            JsonNode lang = c.path("language");
            String t = text(lang.get("text"));
            for (JsonNode coding : array(lang, "coding")) {
                if (t == null) {
                    t = text(coding.get("display"));
                }
            }
            for (JsonNode coding : array(lang, "coding")) {
                if (t == null) {
                    t = text(coding.get("code"));
                }
            }
            if (t == null) {
                throw RegisterFailure.error("a Patient.communication has no language");
            }
            out.add(t);
        }
        return out;
    }

    private static String ethnicity(JsonNode patient) {
        JsonNode concept = extension(patient, Fhir.EXT_ETHNICITY).path("valueCodeableConcept");
        String t = text(concept.get("text"));
        for (JsonNode coding : array(concept, "coding")) {
            if (t == null) {
                t = text(coding.get("display"));
            }
        }
        return t;
    }

    private record Addresses(Address current, List<AddressPeriod> history) {
    }

    private record Dated(Address address, String use, LocalDate from, LocalDate to, int order) {
    }

    /**
     * The current address: among those neither {@code old} nor ended, a {@code home} before a
     * {@code temp} one, then the latest start; every other address, in the order given, is the
     * history. Work and billing addresses are not where the child lives: ignored.
     */
    private static Addresses addresses(JsonNode patient) {
        List<Dated> all = new ArrayList<>();
        int order = 0;
        for (JsonNode a : array(patient, "address")) {
            String use = a.path("use").asText("");
            if (NOT_A_HOME.contains(use)) {
                continue;
            }
            Address address = new Address(text(array(a, "line").path(0).isMissingNode() ? null : array(a, "line").get(0)),
                    text(a.get("city")), text(a.get("postalCode")), text(a.get("district")));
            JsonNode period = a.path("period");
            all.add(new Dated(address, use, date(period.get("start"), "Address.period.start"),
                    date(period.get("end"), "Address.period.end"), order++));
        }
        Dated current = all.stream()
                .filter(d -> !"old".equals(d.use()) && d.to() == null)
                .min(Comparator.comparingInt((Dated d) -> "temp".equals(d.use()) ? 1 : 0)
                        .thenComparing(Dated::from, Comparator.nullsFirst(Comparator.<LocalDate>naturalOrder()).reversed())
                        .thenComparingInt(Dated::order))
                .orElse(null);
        List<AddressPeriod> history = new ArrayList<>();
        for (Dated d : all) {
            if (d != current) {
                history.add(new AddressPeriod(d.address(), d.from(), d.to()));
            }
        }
        return new Addresses(current == null ? null : current.address(), history);
    }

    // ---- the register facts -------------------------------------------------------------------

    /** The facts gathered for one Patient. */
    private static final class Facts {
        Boolean lookedAfter;
        final List<ConcernCategory> categories = new ArrayList<>();
        String health;
        String details;
        Registration registration;
        final List<Registration> registrations = new ArrayList<>();
        final List<Relationship> relationships = new ArrayList<>();
        final List<Meeting> meetings = new ArrayList<>();
        final List<Referral> referrals = new ArrayList<>();
        final List<EnquiryHistoryEntry> enquiries = new ArrayList<>();

        void add(JsonNode r) {
            String status = r.path("status").asText("");
            if (VOID.contains(status)) {
                return;
            }
            switch (r.path("resourceType").asText()) {
                case "Flag" -> flag(r, status);
                case "EpisodeOfCare" -> episode(r, status);
                case "RelatedPerson" -> relatedPerson(r);
                case "Encounter" -> encounter(r);
                case "ServiceRequest" -> serviceRequest(r);
                case "AuditEvent" -> auditEvent(r);
                default -> {
                    // FhirSearchSet passes the fact types only.
                }
            }
        }

        private void flag(JsonNode r, String status) {
            String code = code(r.path("code"), Fhir.CS_FLAG);
            if (code == null) {
                return; // a Flag of the server's own (an allergy alert, say): not a register fact
            }
            FhirValues.refuseModifierExtensions(r);
            switch (code) {
                case Fhir.FLAG_LOOKED_AFTER -> lookedAfter = switch (status) {
                    case "active" -> true;
                    case "inactive" -> false;
                    default -> throw RegisterFailure.error("a Flag has a status outside R4");
                };
                case Fhir.FLAG_CONCERN -> {
                    if ("active".equals(status)) {
                        ConcernCategory c = category(code(r.path("category").path(0), Fhir.CS_CONCERN));
                        if (c == null) {
                            throw RegisterFailure.error("a concern Flag has no concern category");
                        }
                        categories.add(c);
                    }
                }
                case Fhir.FLAG_HEALTH -> health = "active".equals(status) ? text(r.path("code").get("text")) : health;
                case Fhir.FLAG_DETAILS -> details = "active".equals(status) ? text(r.path("code").get("text")) : details;
                default -> throw RegisterFailure.error("a Flag has a register code this gateway does not know");
            }
        }

        private void episode(JsonNode r, String status) {
            String type = null;
            for (JsonNode t : array(r, "type")) {
                if (type == null) {
                    type = code(t, Fhir.CS_EPISODE);
                }
            }
            if (type == null) {
                return; // an episode of another service: not a registration
            }
            FhirValues.refuseModifierExtensions(r);
            String canonical = switch (status) {
                // on hold: the registration stands, suspended for a while (a child abroad, say)
                case "active", "onhold" -> Registration.ACTIVE;
                case "finished" -> Registration.ENDED;
                case "planned", "waitlist" -> null; // not (yet) a registration
                default -> throw RegisterFailure.error("an EpisodeOfCare has a status outside R4");
            };
            if (canonical == null) {
                return;
            }
            JsonNode category = extension(r, Fhir.EXT_CONCERN_CATEGORY).path("valueCoding");
            Registration reg = new Registration(canonical, category(text(category.get("code"))),
                    date(r.path("period").get("start"), "EpisodeOfCare.period.start"),
                    date(r.path("period").get("end"), "EpisodeOfCare.period.end"));
            switch (type) {
                case Fhir.EPISODE_CURRENT -> {
                    if (registration != null) {
                        throw RegisterFailure.error("a Patient has two current registrations");
                    }
                    registration = reg;
                }
                case Fhir.EPISODE_HISTORY -> registrations.add(reg);
                default -> throw RegisterFailure.error("an EpisodeOfCare has a register type this gateway does not know");
            }
        }

        private void relatedPerson(JsonNode r) {
            if (Boolean.FALSE.equals(bool(r.get("active")))) {
                return; // a relationship the register has closed
            }
            FhirValues.refuseModifierExtensions(r);
            JsonNode name = r.path("name").path(0);
            String n = text(name.get("text"));
            if (n == null && (name.has("family") || name.has("given"))) {
                List<String> parts = new ArrayList<>();
                array(name, "given").forEach(g -> parts.add(text(g)));
                if (name.has("family")) {
                    parts.add(text(name.get("family")));
                }
                n = String.join(" ", parts);
            }
            JsonNode rel = r.path("relationship").path(0);
            String relationship = text(rel.get("text"));
            for (JsonNode coding : array(rel, "coding")) {
                if (relationship == null) {
                    relationship = text(coding.get("display"));
                }
            }
            relationships.add(new Relationship(n, relationship,
                    bool(extension(r, Fhir.EXT_CONCERN_INDICATOR).get("valueBoolean")),
                    bool(extension(r, Fhir.EXT_SCHEDULE_ONE).get("valueBoolean"))));
        }

        private void encounter(JsonNode r) {
            if (!hasCode(array(r, "type"), Fhir.CS_MEETING, Fhir.MEETING_CONFERENCE)) {
                return; // a visit or an appointment, not a child protection conference
            }
            FhirValues.refuseModifierExtensions(r);
            JsonNode type = r.path("type").path(0);
            String t = text(type.get("text"));
            for (JsonNode coding : array(type, "coding")) {
                if (t == null) {
                    t = text(coding.get("display"));
                }
            }
            meetings.add(new Meeting(date(r.path("period").get("start"), "Encounter.period.start"), t,
                    text(extension(r, Fhir.EXT_MEETING_OUTCOME).get("valueString"))));
        }

        private void serviceRequest(JsonNode r) {
            FhirValues.refuseModifierExtensions(r);
            JsonNode reason = r.path("reasonCode").path(0);
            String why = text(reason.get("text"));
            for (JsonNode coding : array(reason, "coding")) {
                if (why == null) {
                    why = text(coding.get("display"));
                }
            }
            referrals.add(new Referral(date(r.get("authoredOn"), "ServiceRequest.authoredOn"),
                    text(r.path("requester").get("display")), why));
        }

        private void auditEvent(JsonNode r) {
            if (!hasCode(array(r, "subtype"), Fhir.CS_AUDIT, Fhir.AUDIT_ENQUIRY)) {
                return; // the server's own audit of reads and writes, not an enquiry of the gateway's
            }
            FhirValues.refuseModifierExtensions(r);
            String who = null;
            for (JsonNode agent : array(r, "agent")) {
                if (who == null && Boolean.TRUE.equals(bool(agent.get("requestor")))) {
                    who = text(agent.path("who").get("display"));
                }
            }
            enquiries.add(new EnquiryHistoryEntry(text(r.get("id")),
                    text(extension(r, Fhir.EXT_ENQUIRY_ID).get("valueString")),
                    FhirValues.instant(r.get("recorded"), "AuditEvent.recorded"), who,
                    text(extension(r, Fhir.EXT_ROLE).get("valueString")),
                    text(extension(r, Fhir.EXT_AGENCY).get("valueString")),
                    text(extension(r, Fhir.EXT_AUTHORITY).get("valueString")),
                    text(extension(r, Fhir.EXT_PURPOSE).get("valueString")),
                    text(extension(r, Fhir.EXT_CONSENT_BASIS).get("valueString"))));
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
}
