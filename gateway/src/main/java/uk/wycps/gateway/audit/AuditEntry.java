package uk.wycps.gateway.audit;

import uk.wycps.connector.proof.AnswerProof;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import uk.wycps.record.SearchCriteria;
import uk.wycps.policy.Caller;

/**
 * One audited enquiry (H1): who asked, when, why and on what consent, for whom, which registers
 * were asked and how each answered, and which records went out at which tier. It holds the
 * enquiry's own criteria and record references, never register contents (F1).
 */
public record AuditEntry(
        String enquiryId,
        Instant at,
        String correlationId,
        Caller caller,
        String result,
        String purpose,
        String justification,
        String consent,
        SearchCriteria criteria,
        List<RegisterAnswer> registers,
        List<Released> released,
        List<Released> notified,
        String policy) {

    public static final String ANSWERED = "answered";

    /**
     * The result of the entry that records, after the answer, how the withheld registers
     * answered and which of their records were notified; with {@code ":notification-failed"}
     * when a match's notification could not be queued.
     */
    public static final String WITHHELD_SEARCHED = "withheld-searched";

    public AuditEntry {
        registers = registers == null ? List.of() : List.copyOf(registers);
        released = released == null ? List.of() : List.copyOf(released);
        notified = notified == null ? List.of() : List.copyOf(notified);
    }

    /**
     * How one register answered, and for a register that signs its answers (an adapter, issue
     * 17) the proof of what it said: digests and signature, never the answer itself.
     */
    public record RegisterAnswer(String authority, String status, AnswerProof proof) {

        public RegisterAnswer(String authority, String status) {
            this(authority, status, null);
        }
    }

    /**
     * A record that went out, and at which tier; in {@code notified}, a record the caller could
     * not see whose register was told of the enquiry (A9). {@code shielded}: the record is one its
     * owning authority shields (A10), so its owner's audit view marks the access.
     */
    public record Released(String authority, String recordId, String tier, boolean shielded) {

        public Released(String authority, String recordId, String tier) {
            this(authority, recordId, tier, false);
        }
    }

    public JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("type", "enquiry")
                .put("enquiryId", enquiryId)
                .put("at", at.toString())
                .put("correlationId", correlationId)
                .put("result", result);
        if (caller != null) {
            json.put("caller", new JsonObject()
                    .put("sub", caller.subject())
                    .put("role", caller.role().code())
                    .put("agency", caller.agency().code())
                    .put("authority", caller.authority())
                    .put("authorisations", new JsonArray(caller.authorisations().stream().sorted().toList())));
        }
        json.put("purpose", purpose).put("justification", justification).put("consent", consent);
        if (criteria != null) {
            JsonObject c = new JsonObject()
                    .put("givenName", criteria.givenName())
                    .put("familyName", criteria.familyName())
                    .put("dateOfBirth", criteria.dateOfBirth() == null ? null : criteria.dateOfBirth().toString())
                    .put("gender", criteria.gender() == null ? null : criteria.gender().code())
                    .put("postcode", criteria.postcode());
            if (!criteria.otherGivenNames().isEmpty()) {
                c.put("otherGivenNames", new JsonArray(criteria.otherGivenNames()));
            }
            if (!criteria.aliases().isEmpty()) {
                JsonArray aliases = new JsonArray();
                criteria.aliases().forEach(a -> aliases.add(new JsonObject()
                        .put("givenName", a.givenName()).put("familyName", a.familyName())));
                c.put("aliases", aliases);
            }
            json.put("criteria", c);
        }
        JsonArray regs = new JsonArray();
        registers.forEach(r -> {
            JsonObject reg = new JsonObject().put("authority", r.authority()).put("status", r.status());
            if (r.proof() != null) {
                reg.put("proof", new JsonObject().put("requestSha256", r.proof().requestSha256())
                        .put("bodySha256", r.proof().bodySha256()).put("signature", r.proof().signature()));
            }
            regs.add(reg);
        });
        JsonArray rel = new JsonArray();
        released.forEach(r -> rel.add(shielded(r, new JsonObject()
                .put("authority", r.authority()).put("recordId", r.recordId()).put("tier", r.tier()))));
        JsonArray note = new JsonArray();
        notified.forEach(r -> note.add(shielded(r, new JsonObject().put("authority", r.authority())
                .put("recordId", r.recordId()))));
        return json.put("registers", regs).put("released", rel).put("notified", note).put("policy", policy);
    }

    /**
     * An entry as {@link #toJson} wrote it, for what is done again from it (a withheld search a
     * node did not live to run): who asked, when, why, for whom and how each register answered.
     * Signed answers' proofs and the records' tiers are not read back (nothing re-done needs them).
     */
    public static AuditEntry fromJson(JsonObject json) {
        JsonObject c = json.getJsonObject("caller");
        Caller caller = null;
        if (c != null) {
            Set<String> grants = new LinkedHashSet<>();
            c.getJsonArray("authorisations", new JsonArray()).forEach(g -> grants.add((String) g));
            caller = new Caller(c.getString("sub"), uk.wycps.policy.Role.fromCode(c.getString("role")).orElseThrow(),
                    uk.wycps.policy.Agency.fromCode(c.getString("agency")).orElseThrow(), c.getString("authority"),
                    grants);
        }
        SearchCriteria criteria = null;
        JsonObject s = json.getJsonObject("criteria");
        if (s != null) {
            List<uk.wycps.record.PersonName> aliases = new java.util.ArrayList<>();
            s.getJsonArray("aliases", new JsonArray()).forEach(a -> aliases.add(new uk.wycps.record.PersonName(
                    ((JsonObject) a).getString("givenName"), ((JsonObject) a).getString("familyName"))));
            List<String> others = new java.util.ArrayList<>();
            s.getJsonArray("otherGivenNames", new JsonArray()).forEach(o -> others.add((String) o));
            criteria = new SearchCriteria(s.getString("givenName"), s.getString("familyName"), others, aliases,
                    s.getString("dateOfBirth") == null ? null : java.time.LocalDate.parse(s.getString("dateOfBirth")),
                    s.getString("gender") == null ? null : uk.wycps.record.Gender.fromCode(s.getString("gender")),
                    s.getString("postcode"));
        }
        List<RegisterAnswer> registers = new java.util.ArrayList<>();
        json.getJsonArray("registers", new JsonArray()).forEach(r -> registers.add(new RegisterAnswer(
                ((JsonObject) r).getString("authority"), ((JsonObject) r).getString("status"))));
        return new AuditEntry(json.getString("enquiryId"), Instant.parse(json.getString("at")),
                json.getString("correlationId"), caller, json.getString("result"), json.getString("purpose"),
                json.getString("justification"), json.getString("consent"), criteria, registers, List.of(), List.of(),
                json.getString("policy"));
    }

    /** The registers this entry (an answer) withheld from its caller: each is searched after the answer (A9). */
    public List<String> withheldRegisters() {
        return registers.stream().filter(r -> "WITHHELD".equals(r.status())).map(RegisterAnswer::authority).toList();
    }

    /**
     * Of {@code entries} (as written, oldest first), the answers made in {@code [from, to)} that
     * withheld a register and have no {@link #WITHHELD_SEARCHED} entry: searches promised and
     * never done (a node lost between the answer and them) or never recorded.
     */
    public static List<AuditEntry> withheldNotSearched(Iterable<JsonObject> entries, Instant from, Instant to) {
        NotSearched found = new NotSearched(from, to);
        entries.forEach(found::accept);
        return found.entries();
    }

    /**
     * Gathers {@link #withheldNotSearched} entry by entry, for a log read line by line: it holds
     * only the answers of the window still waiting for their second entry (which always follows
     * its answer in the log). Only a plain {@link #WITHHELD_SEARCHED} entry is done: one
     * {@code :notification-failed} says a match's register was not told. An entry that cannot be
     * read back is left out, by itself (its id logged), never failing the others.
     */
    public static final class NotSearched {
        private final Instant from;
        private final Instant to;
        private final java.util.Map<String, JsonObject> waiting = new java.util.LinkedHashMap<>();

        public NotSearched(Instant from, Instant to) {
            this.from = from;
            this.to = to;
        }

        public void accept(JsonObject e) {
            String id = e.getString("enquiryId");
            if (!"enquiry".equals(e.getString("type")) || id == null) {
                return;
            }
            String result = e.getString("result", "");
            if (WITHHELD_SEARCHED.equals(result)) {
                waiting.remove(id);
            } else if (ANSWERED.equals(result)) {
                Instant at = Instant.parse(e.getString("at"));
                if (!at.isBefore(from) && at.isBefore(to) && e.getJsonArray("registers", new JsonArray()).stream()
                        .anyMatch(r -> "WITHHELD".equals(((JsonObject) r).getString("status")))) {
                    waiting.put(id, e);
                }
            }
        }

        public List<AuditEntry> entries() {
            List<AuditEntry> out = new java.util.ArrayList<>(waiting.size());
            for (Map.Entry<String, JsonObject> e : waiting.entrySet()) {
                try {
                    out.add(fromJson(e.getValue()));
                } catch (RuntimeException unreadable) {
                    // a code since renamed, say: ids only (H5)
                    org.slf4j.LoggerFactory.getLogger(AuditEntry.class).warn(
                            "answer entry not readable for its withheld searches: enquiryId={}, cause={}", e.getKey(),
                            unreadable.getClass().getSimpleName());
                }
            }
            return out;
        }
    }

    /** The mark only where it is true, so that entries without shielding read as they always did. */
    private static JsonObject shielded(Released r, JsonObject ref) {
        return r.shielded() ? ref.put("shielded", true) : ref;
    }

    /**
     * The authorities an entry (as written) concerns: the caller's, and those whose records it
     * released or notified. Each reads it in its audit view and keeps it for its own retention.
     */
    public static String[] authoritiesConcerned(JsonObject entry) {
        Set<String> out = new LinkedHashSet<>();
        JsonObject caller = entry.getJsonObject("caller");
        if (caller != null && caller.getString("authority") != null) {
            out.add(caller.getString("authority"));
        }
        for (String list : new String[] {"released", "notified"}) {
            JsonArray refs = entry.getJsonArray(list, new JsonArray());
            for (int i = 0; i < refs.size(); i++) {
                String a = refs.getJsonObject(i).getString("authority");
                if (a != null) {
                    out.add(a);
                }
            }
        }
        return out.toArray(String[]::new);
    }
}
