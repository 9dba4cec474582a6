package uk.wycps.gateway.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * Which audit entries a Child Protection Co-ordinator asks for: those concerning their own
 * authority (made by its staff, or releasing or notifying one of its records), optionally
 * within a time window and for one record, and those written after the entry {@code afterSeq}
 * (the next page: the log's order, not the enquiries' times, since an entry written later, a
 * withheld register's, may carry an earlier time).
 */
public record AuditQuery(String authority, Instant from, Instant to, String recordId, int limit, long afterSeq) {

    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        Objects.requireNonNull(authority, "authority");
    }

    /** From the start of the log. */
    public AuditQuery(String authority, Instant from, Instant to, String recordId, int limit) {
        this(authority, from, to, recordId, limit, 0);
    }

    /** True when the entry (as written to the log) is one this query asks for. */
    public boolean matches(JsonObject entry) {
        if (!"enquiry".equals(entry.getString("type"))) {
            return false;
        }
        Instant at = Instant.parse(entry.getString("at"));
        if ((from != null && at.isBefore(from)) || (to != null && !at.isBefore(to))) {
            return false;
        }
        JsonObject caller = entry.getJsonObject("caller");
        boolean concerns = caller != null && authority.equals(caller.getString("authority"));
        boolean record = recordId == null;
        for (String list : new String[] {"released", "notified"}) {
            JsonArray refs = entry.getJsonArray(list, new JsonArray());
            for (int i = 0; i < refs.size(); i++) {
                JsonObject ref = refs.getJsonObject(i);
                if (authority.equals(ref.getString("authority"))) {
                    concerns = true;
                    if (recordId != null && recordId.equals(ref.getString("recordId"))) {
                        record = true;
                    }
                }
            }
        }
        return concerns && record;
    }
}
