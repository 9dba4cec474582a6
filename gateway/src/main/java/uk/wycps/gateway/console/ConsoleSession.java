package uk.wycps.gateway.console;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import uk.wycps.policy.Agency;
import uk.wycps.policy.Caller;
import uk.wycps.policy.Role;

/**
 * What the gateway keeps in a console session (server side; the browser holds only the cookie):
 * the signed-in caller, the form token (CSRF) and the last few answers, so that the print view
 * and "more detail needed" need no personal data in a URL. Values are JSON so that the session
 * store can copy them.
 */
final class ConsoleSession {

    private static final SecureRandom RANDOM = new SecureRandom();
    static final String CSRF_FIELD = "csrf";
    private static final String CALLER = "caller";
    private static final String SEEN = "seen";
    private static final String SIGNED_IN = "signedIn";
    private static final String ANSWERS = "answers";
    /** Answers kept for the print view: the practitioner's last few, never more. */
    static final int KEPT_ANSWERS = 5;

    private ConsoleSession() {
    }

    /** The session's form token, made on first use. */
    static String csrf(RoutingContext ctx) {
        Session session = ctx.session();
        String token = session.get(CSRF_FIELD);
        if (token == null) {
            token = random();
            session.put(CSRF_FIELD, token);
        }
        return token;
    }

    /** True when the posted form carries this session's token (the synchronizer-token pattern). */
    static boolean csrfValid(RoutingContext ctx) {
        String expected = ctx.session() == null ? null : ctx.session().get(CSRF_FIELD);
        String given = ctx.request().getFormAttribute(CSRF_FIELD);
        return expected != null && given != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
    }

    static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Signs {@code caller} in: a new session id (no fixation), a new form token. */
    static void signIn(RoutingContext ctx, Caller caller, String displayName) {
        Session session = ctx.session();
        session.regenerateId();
        session.remove(ANSWERS);
        session.put(CSRF_FIELD, random());
        session.put(CALLER, new JsonObject()
                .put("sub", caller.subject())
                .put("role", caller.role().code())
                .put("agency", caller.agency().code())
                .put("authority", caller.authority())
                .put("authorisations", new JsonArray(caller.authorisations().stream().sorted().toList()))
                .put("name", displayName));
        long now = System.currentTimeMillis();
        session.put(SEEN, now);
        session.put(SIGNED_IN, now);
    }

    /**
     * The signed-in caller, or null. A session idle for longer than {@code idle} is destroyed
     * here too (the store's own expiry is the first line), and so is one signed in longer ago
     * than {@code lifetime}, however busy: the role, agency and grants are the identity
     * provider's as they were at sign-in, so a sign-in lasts no longer than an API token may
     * ({@code auth.maxTokenLifetimeSeconds}); a role taken away there is gone here by then.
     */
    static Caller caller(RoutingContext ctx, Duration idle, Duration lifetime) {
        Session session = ctx.session();
        if (session == null) {
            return null;
        }
        JsonObject c = session.get(CALLER);
        Long seen = session.get(SEEN);
        Long signedIn = session.get(SIGNED_IN);
        if (c == null || seen == null || signedIn == null) {
            return null;
        }
        long now = System.currentTimeMillis();
        if (now - seen > idle.toMillis() || now - signedIn > lifetime.toMillis()) {
            session.destroy();
            return null;
        }
        session.put(SEEN, now);
        Set<String> grants = new LinkedHashSet<>();
        c.getJsonArray("authorisations", new JsonArray()).forEach(g -> grants.add((String) g));
        return new Caller(c.getString("sub"), Role.fromCode(c.getString("role")).orElseThrow(),
                Agency.fromCode(c.getString("agency")).orElseThrow(), c.getString("authority"), grants);
    }

    /**
     * When this session's sign-in happened (milliseconds), or null when nobody is signed in or
     * the session is gone: what an answer arriving later compares with the sign-in it was asked
     * under.
     */
    static Long signedInAt(RoutingContext ctx) {
        Session session = ctx.session();
        return session == null || session.isDestroyed() || session.get(CALLER) == null ? null : session.get(SIGNED_IN);
    }

    /** The signed-in person's name as shown (and printed), or null. */
    static String displayName(RoutingContext ctx) {
        JsonObject c = ctx.session() == null ? null : ctx.session().get(CALLER);
        return c == null ? null : c.getString("name");
    }

    static void signOut(RoutingContext ctx) {
        if (ctx.session() != null) {
            ctx.session().destroy();
        }
    }

    /** Keeps an answer (as the API returned it) with the form that asked, for print and prefill. */
    static void keep(RoutingContext ctx, JsonObject answer, JsonObject form, String at) {
        Session session = ctx.session();
        JsonArray kept = session.get(ANSWERS);
        JsonArray next = new JsonArray();
        next.add(new JsonObject().put("answer", answer).put("form", form).put("at", at));
        if (kept != null) {
            for (int i = 0; i < kept.size() && next.size() < KEPT_ANSWERS; i++) {
                next.add(kept.getJsonObject(i));
            }
        }
        session.put(ANSWERS, next);
    }

    /** A kept answer by enquiry id, or null. */
    static JsonObject kept(RoutingContext ctx, String enquiryId) {
        JsonArray kept = ctx.session() == null ? null : ctx.session().get(ANSWERS);
        if (kept == null) {
            return null;
        }
        for (int i = 0; i < kept.size(); i++) {
            JsonObject k = kept.getJsonObject(i);
            if (enquiryId.equals(k.getJsonObject("answer").getString("enquiryId"))) {
                return k;
            }
        }
        return null;
    }
}
