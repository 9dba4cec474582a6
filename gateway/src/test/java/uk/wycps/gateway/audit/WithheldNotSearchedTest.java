package uk.wycps.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which answers' withheld searches a node runs again (A9, H3): those that withheld a register,
 * made in the window, without a plain {@code withheld-searched} entry. One whose entry says
 * {@code :notification-failed} was searched but its register never told, so it is run again; an
 * entry that cannot be read back is left out by itself.
 */
class WithheldNotSearchedTest {

    private static final Instant AT = Instant.parse("2026-11-30T10:00:00Z");

    private static JsonObject answer(String id, String bradford) {
        AuditEntry plain = AuditEntries.answered(1, AT);
        return new AuditEntry(id, AT, "c-" + id, plain.caller(), AuditEntry.ANSWERED, plain.purpose(), plain.justification(),
                plain.consent(), plain.criteria(), List.of(new AuditEntry.RegisterAnswer("leeds", "OK"),
                        new AuditEntry.RegisterAnswer("bradford", bradford)), List.of(), List.of(), plain.policy()).toJson();
    }

    private static JsonObject followUp(String id, String result) {
        return answer(id, "WITHHELD").put("result", result);
    }

    private static List<String> found(JsonObject... entries) {
        return AuditEntry.withheldNotSearched(List.of(entries), AT.minusSeconds(60), AT.plusSeconds(60)).stream()
                .map(AuditEntry::enquiryId).toList();
    }

    @Test
    void anAnswerWhoseWithheldRegisterWasNeverSearchedIsFoundAndOneSearchedIsNot() {
        assertEquals(List.of("lost"), found(answer("lost", "WITHHELD"), answer("done", "WITHHELD"),
                followUp("done", AuditEntry.WITHHELD_SEARCHED)));
    }

    @Test
    void anAnswerWhoseRegisterWasNotToldIsFoundAgain() {
        assertEquals(List.of("untold"), found(answer("untold", "WITHHELD"),
                followUp("untold", AuditEntry.WITHHELD_SEARCHED + ":notification-failed")));
    }

    @Test
    void anAnswerThatWithheldNothingOrOutsideTheWindowIsNotFound() {
        JsonObject old = answer("old", "WITHHELD").put("at", AT.minusSeconds(3600).toString());
        assertEquals(List.of(), found(answer("seen", "OK"), old));
    }

    @Test
    void anEntryThatCannotBeReadBackIsLeftOutWithoutFailingTheOthers() {
        JsonObject unreadable = answer("unreadable", "WITHHELD");
        unreadable.getJsonObject("caller").put("role", "a-role-since-renamed");
        assertEquals(List.of("lost"), found(unreadable, answer("lost", "WITHHELD")));
    }
}
