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
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import uk.wycps.record.SearchCriteria;
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
 * Two registers that keep their own JSON, written here by hand (not from the gateway's mapping
 * files, so a contract test of the mapping is not a mirror of itself):
 * <ul>
 *   <li>{@link Style#CALDERDALE}, dialect {@code mapped-json}: snake_case, dates
 *       {@code dd/MM/yyyy}, sex 1/2/9, categories CAT-N/P/E/S, status A/E;
 *       {@code POST /api/v2/children/search}, {@code PUT /api/v2/children/{ref}/enquiries/{id}};</li>
 *   <li>{@link Style#WAKEFIELD}, dialect {@code legacy-two-step}: UPPER_CASE, dates
 *       {@code yyyyMMdd}, sex M/F/U, categories NEG/PHY/EMO/SEX, Y/N indicators, a flat address;
 *       {@code GET /cpr/find?SURNAME=...} answers ids, {@code GET /cpr/child/{id}?FIELDS=...}
 *       one record, {@code POST /cpr/enquiry/{id}/{entryId}}.</li>
 * </ul>
 */
final class MappedJsonRoutes {

    enum Style { CALDERDALE, WAKEFIELD }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter DMY = DateTimeFormatter.ofPattern("dd/MM/uuuu");
    private static final DateTimeFormatter YMD = DateTimeFormatter.ofPattern("uuuuMMdd");
    private static final Map<Gender, String> CA_SEX = Map.of(Gender.MALE, "1", Gender.FEMALE, "2", Gender.UNKNOWN, "9");
    private static final Map<Gender, String> WA_SEX = Map.of(Gender.MALE, "M", Gender.FEMALE, "F", Gender.UNKNOWN, "U");
    private static final Map<ConcernCategory, String> CA_CAT = Map.of(ConcernCategory.NEGLECT, "CAT-N",
            ConcernCategory.PHYSICAL_ABUSE, "CAT-P", ConcernCategory.EMOTIONAL_ABUSE, "CAT-E", ConcernCategory.SEXUAL_ABUSE, "CAT-S");
    private static final Map<ConcernCategory, String> WA_CAT = Map.of(ConcernCategory.NEGLECT, "NEG",
            ConcernCategory.PHYSICAL_ABUSE, "PHY", ConcernCategory.EMOTIONAL_ABUSE, "EMO", ConcernCategory.SEXUAL_ABUSE, "SEX");
    /** A legacy search never lists more ids than this: the connector fetches each one. */
    static final int MAX_IDS = 50;

    private final RegisterVerticle verticle;
    private final MockRegister register;
    private final Style style;

    MappedJsonRoutes(RegisterVerticle verticle, MockRegister register, Style style) {
        this.verticle = verticle;
        this.register = register;
        this.style = style;
    }

    void mount(Router router) {
        if (style == Style.CALDERDALE) {
            router.route("/api/*").handler(verticle::injectFaults);
            router.post("/api/v2/children/search").handler(this::calderdaleSearch);
            router.put("/api/v2/children/:recordId/enquiries/:entryId").handler(this::enquiry);
        } else {
            router.route("/cpr/*").handler(verticle::injectFaults);
            router.get("/cpr/find").handler(this::wakefieldFind);
            router.get("/cpr/child/:recordId").handler(this::wakefieldChild);
            router.post("/cpr/enquiry/:recordId/:entryId").handler(this::enquiry);
        }
    }

    // ---- calderdale ---------------------------------------------------------------------------

    private void calderdaleSearch(RoutingContext ctx) {
        JsonNode body = body(ctx);
        JsonNode search = body == null ? null : body.get("search");
        JsonNode fields = body == null ? null : body.get("return_fields");
        if (search == null || !search.isObject() || fields == null || !fields.isArray()) {
            RegisterVerticle.error(ctx, 400, "invalid-query", "search and return_fields are required", null);
            return;
        }
        SearchCriteria criteria;
        try {
            List<PersonName> aliases = new ArrayList<>();
            for (JsonNode a : search.path("known_as")) {
                aliases.add(new PersonName(text(a, "forename"), text(a, "surname")));
            }
            List<String> middle = new ArrayList<>();
            search.path("middle_names").forEach(n -> middle.add(n.asText()));
            criteria = new SearchCriteria(text(search, "forename"), required(search, "surname"), middle, aliases,
                    date(text(search, "date_of_birth"), DMY), gender(text(search, "sex"), CA_SEX), text(search, "post_code"));
        } catch (RuntimeException e) {
            RegisterVerticle.error(ctx, 400, "invalid-query", "the search is not valid", "search");
            return;
        }
        Set<String> keep = new HashSet<>();
        fields.forEach(f -> keep.add(f.asText()));
        keep.add("child_ref");
        verticle.respond(ctx, () -> {
            ArrayNode children = NODES.arrayNode();
            for (ChildRecord r : register.search(criteria)) {
                ObjectNode written = calderdale(r);
                written.retain(keep);
                children.add(written);
            }
            ObjectNode answer = NODES.objectNode();
            answer.set("children", children);
            answer.put("count", children.size());
            return Buffer.buffer(RecordJson.mapper().writeValueAsBytes(answer));
        }, "application/json");
    }

    static ObjectNode calderdale(ChildRecord r) {
        ObjectNode o = NODES.objectNode();
        o.put("child_ref", r.recordId());
        o.put("forename", r.givenName());
        o.put("surname", r.familyName());
        ArrayNode aliases = o.putArray("known_as");
        list(r.aliases()).forEach(a -> aliases.addObject().put("forename", a.givenName()).put("surname", a.familyName()));
        o.put("date_of_birth", fmt(r.dateOfBirth(), DMY));
        o.put("sex", r.gender() == null ? null : CA_SEX.get(r.gender()));
        ArrayNode languages = o.putArray("languages_spoken");
        list(r.languages()).forEach(languages::add);
        if (r.address() != null) {
            o.set("current_address", caAddress(r.address()));
        }
        ArrayNode history = o.putArray("address_history");
        for (AddressPeriod p : list(r.addressHistory())) {
            ObjectNode h = history.addObject();
            if (p.address() != null) {
                h.set("address", caAddress(p.address()));
            }
            putIf(h, "from_date", fmt(p.from(), DMY));
            putIf(h, "to_date", fmt(p.to(), DMY));
        }
        putIf(o, "legal_status", r.legalStatus());
        ArrayNode cats = o.putArray("concern_categories");
        list(r.concernCategories()).forEach(c -> cats.add(CA_CAT.get(c)));
        if (r.registration() != null) {
            o.set("registration", caRegistration(r.registration()));
        }
        ArrayNode regs = o.putArray("registration_history");
        list(r.registrationHistory()).forEach(g -> regs.add(caRegistration(g)));
        ArrayNode conferences = o.putArray("conferences");
        for (Meeting m : list(r.meetings())) {
            ObjectNode c = conferences.addObject();
            putIf(c, "conference_date", fmt(m.date(), DMY));
            putIf(c, "conference_type", m.type());
            putIf(c, "outcome", m.outcome());
        }
        ArrayNode log = o.putArray("enquiry_log");
        for (EnquiryHistoryEntry e : list(r.enquiryHistory())) {
            ObjectNode l = log.addObject();
            putIf(l, "entry_id", e.entryId());
            putIf(l, "enquiry_ref", e.enquiryId());
            putIf(l, "enquired_at", e.at() == null ? null : e.at().toString());
            putIf(l, "enquirer", e.subject());
            putIf(l, "enquirer_role", e.role());
            putIf(l, "enquirer_agency", e.agency());
            putIf(l, "enquirer_authority", e.authority());
            putIf(l, "purpose", e.purpose());
            putIf(l, "consent_basis", e.consentBasis());
        }
        ArrayNode referrals = o.putArray("referrals");
        for (Referral f : list(r.referrals())) {
            ObjectNode x = referrals.addObject();
            putIf(x, "referral_date", fmt(f.date(), DMY));
            putIf(x, "referral_source", f.source());
            putIf(x, "referral_reason", f.reason());
        }
        ArrayNode family = o.putArray("family_members");
        for (Relationship p : list(r.relationships())) {
            ObjectNode m = family.addObject();
            putIf(m, "full_name", p.name());
            putIf(m, "relationship", p.relationship());
            if (p.concernIndicator() != null) {
                m.put("concern_flag", p.concernIndicator());
            }
            if (p.scheduleOneIndicator() != null) {
                m.put("schedule_one_flag", p.scheduleOneIndicator());
            }
        }
        if (r.lookedAfterIndicator() != null) {
            o.put("looked_after", r.lookedAfterIndicator());
        }
        putIf(o, "ethnicity", r.ethnicity());
        putIf(o, "health_notes", r.healthNotes());
        putIf(o, "concern_details", r.concernDetails());
        o.put("protected_location", r.shieldedByOwner());
        removeNulls(o);
        return o;
    }

    private static ObjectNode caAddress(uk.wycps.record.Address a) {
        ObjectNode n = NODES.objectNode();
        putIf(n, "line_1", a.line1());
        putIf(n, "town", a.town());
        putIf(n, "post_code", a.postcode());
        putIf(n, "local_authority", a.authority());
        return n;
    }

    private static ObjectNode caRegistration(Registration g) {
        ObjectNode n = NODES.objectNode();
        putIf(n, "reg_status", g.status() == null ? null : Registration.ACTIVE.equals(g.status()) ? "A" : "E");
        putIf(n, "category", g.category() == null ? null : CA_CAT.get(g.category()));
        putIf(n, "start_date", fmt(g.start(), DMY));
        putIf(n, "end_date", fmt(g.end(), DMY));
        return n;
    }

    // ---- wakefield ----------------------------------------------------------------------------

    private void wakefieldFind(RoutingContext ctx) {
        SearchCriteria criteria;
        try {
            var p = ctx.queryParams();
            criteria = new SearchCriteria(p.get("FORENAME"), requiredText(p.get("SURNAME")), p.getAll("MIDDLE"), List.of(),
                    date(p.get("DOB"), YMD), gender(p.get("SEX"), WA_SEX), p.get("POSTCODE"));
        } catch (RuntimeException e) {
            RegisterVerticle.error(ctx, 400, "invalid-query", "the search is not valid", null);
            return;
        }
        verticle.respond(ctx, () -> {
            ArrayNode ids = NODES.arrayNode();
            for (ChildRecord r : register.search(criteria)) {
                if (ids.size() < MAX_IDS) {
                    ids.add(r.recordId());
                }
            }
            ObjectNode answer = NODES.objectNode();
            answer.set("MATCHES", ids);
            answer.put("COUNT", ids.size());
            return Buffer.buffer(RecordJson.mapper().writeValueAsBytes(answer));
        }, "application/json");
    }

    private void wakefieldChild(RoutingContext ctx) {
        var record = register.record(ctx.pathParam("recordId"));
        if (record.isEmpty()) {
            RegisterVerticle.error(ctx, 404, "unknown-record", "this register holds no such record", "recordId");
            return;
        }
        String fields = ctx.queryParams().get("FIELDS");
        ObjectNode child = wakefield(record.get());
        if (fields != null) {
            Set<String> keep = new HashSet<>(List.of(fields.split(",")));
            keep.add("CHILD_NO");
            child.retain(keep);
        }
        ObjectNode answer = NODES.objectNode();
        answer.set("CHILD", child);
        verticle.respond(ctx, () -> Buffer.buffer(RecordJson.mapper().writeValueAsBytes(answer)), "application/json");
    }

    static ObjectNode wakefield(ChildRecord r) {
        ObjectNode o = NODES.objectNode();
        o.put("CHILD_NO", r.recordId());
        putIf(o, "FORENAME", r.givenName());
        putIf(o, "SURNAME", r.familyName());
        ArrayNode aliases = o.putArray("ALIASES");
        list(r.aliases()).forEach(a -> aliases.addObject().put("FORENAME", a.givenName()).put("SURNAME", a.familyName()));
        putIf(o, "DOB", fmt(r.dateOfBirth(), YMD));
        putIf(o, "SEX", r.gender() == null ? null : WA_SEX.get(r.gender()));
        ArrayNode languages = o.putArray("LANGUAGES");
        list(r.languages()).forEach(languages::add);
        if (r.address() != null) {
            putIf(o, "ADDR_LINE1", r.address().line1());
            putIf(o, "ADDR_TOWN", r.address().town());
            putIf(o, "ADDR_POSTCODE", r.address().postcode());
            putIf(o, "ADDR_LA", r.address().authority());
        }
        ArrayNode history = o.putArray("ADDRESS_HISTORY");
        for (AddressPeriod p : list(r.addressHistory())) {
            ObjectNode h = history.addObject();
            if (p.address() != null) {
                putIf(h, "LINE1", p.address().line1());
                putIf(h, "TOWN", p.address().town());
                putIf(h, "POSTCODE", p.address().postcode());
                putIf(h, "LA", p.address().authority());
            }
            putIf(h, "FROM", fmt(p.from(), YMD));
            putIf(h, "TO", fmt(p.to(), YMD));
        }
        putIf(o, "LEGAL_STATUS", r.legalStatus());
        ArrayNode cats = o.putArray("CATEGORIES");
        list(r.concernCategories()).forEach(c -> cats.add(WA_CAT.get(c)));
        if (r.registration() != null) {
            o.set("REG", waRegistration(r.registration()));
        }
        ArrayNode regs = o.putArray("REG_HISTORY");
        list(r.registrationHistory()).forEach(g -> regs.add(waRegistration(g)));
        ArrayNode conferences = o.putArray("CONFERENCES");
        for (Meeting m : list(r.meetings())) {
            ObjectNode c = conferences.addObject();
            putIf(c, "DATE", fmt(m.date(), YMD));
            putIf(c, "TYPE", m.type());
            putIf(c, "OUTCOME", m.outcome());
        }
        ArrayNode enquiries = o.putArray("ENQUIRIES");
        for (EnquiryHistoryEntry e : list(r.enquiryHistory())) {
            ObjectNode l = enquiries.addObject();
            putIf(l, "ENTRY_ID", e.entryId());
            putIf(l, "ENQUIRY_ID", e.enquiryId());
            putIf(l, "AT", e.at() == null ? null : e.at().toString());
            putIf(l, "BY", e.subject());
            putIf(l, "ROLE", e.role());
            putIf(l, "AGENCY", e.agency());
            putIf(l, "AUTHORITY", e.authority());
            putIf(l, "PURPOSE", e.purpose());
            putIf(l, "CONSENT", e.consentBasis());
        }
        ArrayNode referrals = o.putArray("REFERRALS");
        for (Referral f : list(r.referrals())) {
            ObjectNode x = referrals.addObject();
            putIf(x, "DATE", fmt(f.date(), YMD));
            putIf(x, "SOURCE", f.source());
            putIf(x, "REASON", f.reason());
        }
        ArrayNode family = o.putArray("FAMILY");
        for (Relationship p : list(r.relationships())) {
            ObjectNode m = family.addObject();
            putIf(m, "NAME", p.name());
            putIf(m, "RELATIONSHIP", p.relationship());
            putIf(m, "CONCERN", yn(p.concernIndicator()));
            putIf(m, "SCHEDULE_ONE", yn(p.scheduleOneIndicator()));
        }
        putIf(o, "LAC", yn(r.lookedAfterIndicator()));
        putIf(o, "ETHNICITY", r.ethnicity());
        putIf(o, "HEALTH", r.healthNotes());
        putIf(o, "CONCERN_DETAILS", r.concernDetails());
        putIf(o, "SHIELDED", yn(r.shieldedByOwner()));
        return o;
    }

    private static ObjectNode waRegistration(Registration g) {
        ObjectNode n = NODES.objectNode();
        putIf(n, "STATUS", g.status() == null ? null : Registration.ACTIVE.equals(g.status()) ? "CURRENT" : "ENDED");
        putIf(n, "CATEGORY", g.category() == null ? null : WA_CAT.get(g.category()));
        putIf(n, "START", fmt(g.start(), YMD));
        putIf(n, "END", fmt(g.end(), YMD));
        return n;
    }

    private static String yn(Boolean b) {
        return b == null ? null : b ? "Y" : "N";
    }

    // ---- enquiry history (both) ---------------------------------------------------------------

    private void enquiry(RoutingContext ctx) {
        register.countEnquiryDelivery();
        String recordId = ctx.pathParam("recordId");
        String entryId = ctx.pathParam("entryId");
        if (!RegisterVerticle.validEntryId(entryId)) {
            RegisterVerticle.error(ctx, 400, "invalid-entry", "entryId must be 1 to 128 characters", "entryId");
            return;
        }
        if (!register.holds(recordId)) {
            RegisterVerticle.error(ctx, 404, "unknown-record", "this register holds no such record", "recordId");
            return;
        }
        JsonNode b = body(ctx);
        if (b == null || !b.isObject()) {
            RegisterVerticle.error(ctx, 400, "invalid-entry", "the body is not an enquiry-history entry", null);
            return;
        }
        boolean ca = style == Style.CALDERDALE;
        String bodyId = text(b, ca ? "entry_id" : "ENTRY_ID");
        if (bodyId != null && !bodyId.equals(entryId)) {
            RegisterVerticle.error(ctx, 400, "invalid-entry", "entryId in the body differs from the path", "entryId");
            return;
        }
        EnquiryHistoryEntry entry;
        try {
            String at = text(b, ca ? "enquired_at" : "AT");
            entry = new EnquiryHistoryEntry(entryId, text(b, ca ? "enquiry_ref" : "ENQUIRY_ID"),
                    at == null ? null : Instant.parse(at), text(b, ca ? "enquirer" : "BY"),
                    text(b, ca ? "enquirer_role" : "ROLE"), text(b, ca ? "enquirer_agency" : "AGENCY"),
                    text(b, ca ? "enquirer_authority" : "AUTHORITY"), text(b, ca ? "purpose" : "PURPOSE"),
                    text(b, ca ? "consent_basis" : "CONSENT"));
        } catch (RuntimeException e) {
            RegisterVerticle.error(ctx, 400, "invalid-entry", "the body is not an enquiry-history entry", null);
            return;
        }
        boolean stored = register.addEnquiry(recordId, entry);
        verticle.answer(ctx, stored ? 201 : 200, Buffer.buffer("{}"));
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static JsonNode body(RoutingContext ctx) {
        Buffer b = ctx.body().buffer();
        if (b == null || b.length() == 0) {
            return null;
        }
        try {
            return RecordJson.mapper().readTree(b.getBytes());
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " is not text");
        }
        return v.asText();
    }

    private static String required(JsonNode n, String field) {
        return requiredText(text(n, field));
    }

    private static String requiredText(String s) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("required");
        }
        return s;
    }

    private static LocalDate date(String s, DateTimeFormatter f) {
        return s == null ? null : LocalDate.parse(s, f);
    }

    private static Gender gender(String code, Map<Gender, String> codes) {
        if (code == null) {
            return null;
        }
        for (Map.Entry<Gender, String> e : codes.entrySet()) {
            if (e.getValue().equals(code)) {
                return e.getKey();
            }
        }
        throw new IllegalArgumentException("unknown sex code");
    }

    private static String fmt(LocalDate d, DateTimeFormatter f) {
        return d == null ? null : d.format(f);
    }

    private static void putIf(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    private static void removeNulls(ObjectNode o) {
        List<String> nulls = new ArrayList<>();
        o.fields().forEachRemaining(e -> {
            if (e.getValue().isNull()) {
                nulls.add(e.getKey());
            }
        });
        o.remove(nulls);
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
