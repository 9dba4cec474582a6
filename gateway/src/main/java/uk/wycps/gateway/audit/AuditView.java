package uk.wycps.gateway.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import uk.wycps.policy.Caller;
import uk.wycps.policy.ConsentBasis;
import uk.wycps.policy.ConsentGround;
import uk.wycps.policy.Declaration;
import uk.wycps.policy.Purpose;
import uk.wycps.policy.RefusedBy;
import uk.wycps.policy.SharingPolicy;

/**
 * An audit entry as one reader may see it (A9, H1): only what that reader could have been told
 * in an answer to the same enquiry. The log keeps the whole entry (its hash chain is untouched);
 * only what {@code GET /api/v1/audit} shows is cut:
 * <ul>
 *   <li>a register whose records the reader may not see (the policy's decision for the reader,
 *       with the entry's purpose and consent) is shown as {@code WITHHELD}, without how it
 *       answered, and none of its records, released or notified, is shown;</li>
 *   <li>the reader's own authority's register is always shown, with its records, to that
 *       register's own staff ({@link SharingPolicy#isOwnAuthorityStaff}); to anyone else it is
 *       decided like any other register;</li>
 *   <li>an enquiry made by another authority's staff keeps who asked, when, the purpose and the
 *       consent basis (what the register's own notification says), but not the criteria or the
 *       justification, which are that authority's; nor are they kept for a reader who is not
 *       their own register's staff;</li>
 *   <li>the result of the entry written after the withheld registers were searched says whether
 *       a match's notification could not be queued, which happens only when one of them held the
 *       child: a reader who may not see every one of those registers is shown it without that.</li>
 * </ul>
 * Statistics entries name no record and no child: their registers' statuses are what the
 * statistics answer itself said, and are shown as written.
 */
public final class AuditView {

    /** How a register the reader may not see is shown. */
    public static final String WITHHELD = "WITHHELD";

    private final SharingPolicy policy;
    private final Caller reader;
    /** The reader is their own authority's register staff: that register's audit is theirs (A4). */
    private final boolean ownRegisterStaff;
    private final Map<String, Boolean> visible = new HashMap<>();

    public AuditView(SharingPolicy policy, Caller reader) {
        this.policy = policy;
        this.reader = reader;
        this.ownRegisterStaff = policy.isOwnAuthorityStaff(reader);
    }

    /** {@code entry} (as written to the log) cut for this view's reader; {@code entry} is not changed. */
    public JsonObject cut(JsonObject entry) {
        JsonObject out = entry.copy();
        if ("statistics".equals(entry.getString("result"))) {
            return out;
        }
        JsonObject caller = entry.getJsonObject("caller");
        boolean ownStaff = ownRegisterStaff && caller != null && reader.authority().equals(caller.getString("authority"));
        if (!ownStaff) {
            out.remove("criteria");
            out.remove("justification");
        }
        Optional<Declaration> declaration = declaration(entry);
        JsonArray registers = new JsonArray();
        boolean everyRegisterShown = true;
        for (Object o : entry.getJsonArray("registers", new JsonArray())) {
            JsonObject r = (JsonObject) o;
            String authority = r.getString("authority");
            boolean shown = mayShow(authority, declaration);
            everyRegisterShown &= shown;
            registers.add(new JsonObject().put("authority", authority)
                    .put("status", shown ? unwrapped(r.getString("status")) : WITHHELD));
        }
        out.put("registers", registers);
        String result = entry.getString("result");
        if (!everyRegisterShown && result != null && result.startsWith(AuditEntry.WITHHELD_SEARCHED + ":")) {
            out.put("result", AuditEntry.WITHHELD_SEARCHED);
        }
        for (String list : new String[] {"released", "notified"}) {
            JsonArray kept = new JsonArray();
            for (Object o : entry.getJsonArray(list, new JsonArray())) {
                JsonObject ref = (JsonObject) o;
                if (mayShow(ref.getString("authority"), declaration)) {
                    kept.add(ref.copy());
                }
            }
            out.put(list, kept);
        }
        return out;
    }

    /** True when the reader could have been shown {@code authority}'s records for this declaration. */
    private boolean mayShow(String authority, Optional<Declaration> declaration) {
        if (authority == null) {
            return false;
        }
        if (ownRegisterStaff && authority.equals(reader.authority())) {
            return true;
        }
        if (declaration.isEmpty()) {
            return false;
        }
        return visible.computeIfAbsent(authority + '|' + declaration.get(),
                k -> policy.decide(reader, declaration.get(), authority).recordsVisible());
    }

    /** {@code WITHHELD(OK)} (how a withheld register answered the caller) becomes {@code OK} for a reader who may see it. */
    private static String unwrapped(String status) {
        if (status != null && status.startsWith(WITHHELD + "(") && status.endsWith(")")) {
            return status.substring(WITHHELD.length() + 1, status.length() - 1);
        }
        return status;
    }

    /**
     * The entry's declaration as far as the policy's decision needs it (purpose and consent
     * basis; the form reference and justification never change a decision); empty when the entry
     * does not say, and then nothing of another authority is shown (A8).
     */
    static Optional<Declaration> declaration(JsonObject entry) {
        Optional<Purpose> purpose = Purpose.fromCode(entry.getString("purpose"));
        String consent = entry.getString("consent");
        if (purpose.isEmpty() || consent == null) {
            return Optional.empty();
        }
        try {
            ConsentBasis basis;
            if ("obtained".equals(consent)) {
                basis = ConsentBasis.obtained("audit-view");
            } else if (consent.startsWith("not-sought:")) {
                basis = ConsentBasis.notSought(ConsentGround.fromCode(consent.substring("not-sought:".length()))
                        .orElseThrow());
            } else if (consent.startsWith("refused-by-") && consent.indexOf(':') > 0) {
                int colon = consent.indexOf(':');
                basis = ConsentBasis.refused(ConsentGround.fromCode(consent.substring(colon + 1)).orElseThrow(),
                        RefusedBy.fromCode(consent.substring("refused-by-".length(), colon)).orElseThrow());
            } else {
                return Optional.empty();
            }
            return Optional.of(new Declaration(purpose.get(), null, basis));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
