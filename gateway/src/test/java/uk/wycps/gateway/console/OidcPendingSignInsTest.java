package uk.wycps.gateway.console;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sign-ins under way are bounded, and a flood of them never shuts sign-in: once the bound is
 * reached the stale go, then the oldest, and a new sign-in is always taken. Refusing new ones
 * (429, shown as "Sign-in is not available") let anyone asking for {@code /sign-in} 17 times a
 * second, with no sign-in of their own, keep every practitioner out of the console.
 */
class OidcPendingSignInsTest {

    private static final int MAX = 1000;

    @Test
    void aFullTableOfSignInsMakesRoomByForgettingTheOldestNotByRefusingTheNext() {
        long now = 1_000_000_000L;
        Map<String, JsonObject> pending = new HashMap<>();
        // GIVEN the table full of sign-ins started in the last minute (none stale)
        for (int i = 0; i < MAX; i++) {
            pending.put("flood-" + i, new JsonObject().put("at", now - 60_000 + i));
        }
        // WHEN one more is started
        OidcSignIn.makeRoom(pending, now, MAX);
        // THEN there is room, the oldest went and the newest stay
        assertTrue(pending.size() < MAX, "room for the next: " + pending.size());
        assertFalse(pending.containsKey("flood-0"));
        assertTrue(pending.containsKey("flood-" + (MAX - 1)));
    }

    @Test
    void staleSignInsGoFirst() {
        long now = 1_000_000_000L;
        Map<String, JsonObject> pending = new HashMap<>();
        for (int i = 0; i < MAX; i++) {
            long at = i % 2 == 0 ? now - OidcSignIn.PENDING_MS - 1 : now - 1000;
            pending.put("s-" + i, new JsonObject().put("at", at));
        }
        OidcSignIn.makeRoom(pending, now, MAX);
        // every stale one gone, every live one kept
        assertTrue(pending.keySet().stream().allMatch(k -> Integer.parseInt(k.substring(2)) % 2 == 1), pending.keySet()
                .toString());
        assertTrue(pending.size() == MAX / 2);
    }
}
