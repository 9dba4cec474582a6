package uk.wycps.connector.mappedjson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RecordIds;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.http.HttpDialectConnector;
import uk.wycps.connector.http.HttpDialects;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.FieldProjection;
import uk.wycps.record.RecordJson;

/**
 * The base of the dialects whose JSON is described by configuration ({@link JsonMapping}):
 * {@code mapped-json} and {@code legacy-two-step}. Besides the mapping it reads the options both
 * share: {@code search.path}, {@code enquiry} ({@code method} PUT or POST, {@code path} with {@code {recordId}} and
 * {@code {entryId}}, {@code body}) and {@code checkpoint} ({@code path} with {@code {index}});
 * a register without an {@code enquiry.path} or {@code checkpoint.path} keeps no history or no
 * checkpoints; and what the search answer says besides its list ({@link #searchList}):
 * {@code search.countPath} (how many the register found, which the list must hold, all of
 * them) and {@code search.errorPath} (an error the register reports beside a list).
 */
public abstract class MappedHttpConnector extends HttpDialectConnector {

    private static final ObjectWriter WRITER = RecordJson.mapper().writer();

    protected final JsonMapping mapping;
    /** Where the register is searched: {@code search.path}, required. */
    protected final String searchPath;
    private final HttpMethod enquiryMethod;
    private final String enquiryPath;
    private final String checkpointPath;
    private final String countPath;
    private final String errorPath;

    protected MappedHttpConnector(Vertx vertx, RegisterSettings settings) {
        super(vertx, settings);
        String a = settings.authority();
        JsonObject options = settings.options();
        this.mapping = JsonMapping.fromOptions(a, options);
        JsonObject enquiry = options.getJsonObject("enquiry");
        JsonObject checkpoint = options.getJsonObject("checkpoint");
        this.enquiryMethod = HttpDialects.writeMethod(enquiry, a);
        this.enquiryPath = enquiry == null ? null : HttpDialects.template(enquiry, "path", null, a);
        this.checkpointPath = checkpoint == null ? null : HttpDialects.template(checkpoint, "path", null, a);
        this.searchPath = path(section("search"));
        this.countPath = section("search").getString("countPath");
        this.errorPath = section("search").getString("errorPath");
    }

    /**
     * The list at {@code listPath} of a search answer, only if it is the register's whole answer
     * (F5: a register reported OK with fewer records, or none, than it found is a "no record"
     * from a search that was not whole). A {@link RegisterFailure} of kind ERROR when the list is
     * missing or longer than {@code max}; when the answer reports an error at
     * {@code search.errorPath} beside it; when its count at {@code search.countPath} is missing or
     * not the list's length; and, without a count, when the list reaches {@code max}, the
     * register's own cap, at which it may have been cut off.
     */
    protected final JsonNode searchList(JsonNode answer, String listPath, int max, String items) {
        JsonNode list = HttpDialects.at(answer, listPath);
        if (list == null || !list.isArray()) {
            throw RegisterFailure.error("answer has no list of " + items);
        }
        if (errorPath != null && reported(HttpDialects.at(answer, errorPath))) {
            // Its text is the register's: never copied into a message that reaches a log.
            throw RegisterFailure.error("answer reports an error beside its list");
        }
        if (list.size() > max) {
            throw RegisterFailure.error("answer has more than " + max + " " + items);
        }
        if (countPath != null) {
            JsonNode count = HttpDialects.at(answer, countPath);
            if (count == null || !count.canConvertToLong() || !count.isIntegralNumber()) {
                throw RegisterFailure.error("answer has no count of its " + items);
            }
            if (count.asLong() != list.size()) {
                throw RegisterFailure.error("answer incomplete: it counts " + count.asLong() + " " + items + " and lists "
                        + list.size());
            }
        } else if (list.size() == max) {
            throw RegisterFailure.error("answer may be cut off: it lists " + max + " " + items
                    + ", the most configured, and gives no count");
        }
        return list;
    }

    /** Whether an error member holds anything: not absent, null, false, "" or empty; a number is a code. */
    private static boolean reported(JsonNode error) {
        if (error == null || error.isNull() || error.isMissingNode()) {
            return false;
        }
        if (error.isBoolean()) {
            return error.asBoolean();
        }
        if (error.isTextual()) {
            return !error.asText().isEmpty();
        }
        return !error.isContainerNode() || !error.isEmpty();
    }

    /** The object under {@code key} in the register's options; empty when absent. */
    protected final JsonObject section(String key) {
        return settings.options().getJsonObject(key, new JsonObject());
    }

    /** The required path template under {@code section}'s {@code path}, checked now (O2). */
    protected final String path(JsonObject section) {
        return HttpDialects.template(section, "path", null, authority());
    }

    /** A start-up error about this register's options. */
    protected final IllegalArgumentException badOptions(String problem) {
        return new IllegalArgumentException("register '" + authority() + "': " + problem);
    }

    /**
     * Maps one untrusted record, checks its id and keeps only {@code keep} (A5); a
     * {@link RegisterFailure} of kind ERROR when the record is unreadable.
     */
    protected final ChildRecord map(JsonNode source, Set<String> keep) {
        ChildRecord record;
        try {
            record = mapping.toRecord(source);
        } catch (JsonMapping.MappingException e) {
            throw RegisterFailure.error("answer not readable: " + e.getMessage());
        }
        return FieldProjection.project(RecordIds.require(record), keep);
    }

    @Override
    public final Future<Void> recordEnquiry(String recordId, EnquiryHistoryEntry entry, Deadline deadline) {
        if (enquiryPath == null) {
            return Future.failedFuture(RegisterFailure.error("this register keeps no enquiry history"));
        }
        ObjectNode mapped = mapping.fromEntry(entry);
        String path = HttpDialects.fill(enquiryPath, Map.of("recordId", recordId, "entryId", entry.entryId()));
        return send(enquiryMethod, path, WRITER, mapped == null ? entry : mapped, deadline, JSON);
    }

    @Override
    public final boolean keepsCheckpoints() {
        return checkpointPath != null;
    }

    @Override
    public final Future<Void> publishCheckpoint(AuditCheckpoint checkpoint, Deadline deadline) {
        if (checkpointPath == null) {
            return Future.failedFuture(RegisterFailure.error("this register keeps no audit checkpoints"));
        }
        return putCheckpoint(checkpointPath, checkpoint, deadline);
    }
}
