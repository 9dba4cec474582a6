package uk.wycps.connector.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RecordIds;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.SearchRequest;
import uk.wycps.connector.http.HttpDialects;
import uk.wycps.connector.mappedjson.MappedHttpConnector;
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.ChildRecord;

/**
 * Dialect {@code legacy-two-step}: a register whose search answers record ids only, then one
 * call per record. Both steps share the search's deadline (the per-record calls get only what
 * is left), at most {@code maxConcurrentCalls} per-record calls run at once, and a record that
 * cannot be fetched makes the whole search fail: a partial list is never passed off as the
 * register's answer. Options:
 * <ul>
 *   <li>{@code search.path} (GET, the criteria as query parameters by {@code criteria}),
 *       {@code search.idsPath} (where the id list is), {@code search.maxIds} (default 50: the
 *       register's own cap, if lower), {@code search.countPath}, {@code search.errorPath}
 *       ({@link #searchList});</li>
 *   <li>{@code fetch.path} (GET, with {@code {recordId}}), {@code fetch.fieldsParam} (query
 *       parameter naming the fields asked for, comma-separated, A5), {@code fetch.recordPath}
 *       (where the record is in the answer; absent: the whole answer);</li>
 *   <li>{@code record}, {@code criteria}, {@code codes}, {@code dateFormat}: as {@code mapped-json};</li>
 *   <li>{@code maxConcurrentCalls} (default 4), {@code enquiry}, {@code checkpoint}: as {@code mapped-json}.</li>
 * </ul>
 */
public final class LegacyConnector extends MappedHttpConnector {

    public static final int DEFAULT_MAX_IDS = 50;
    public static final int DEFAULT_MAX_CONCURRENT_CALLS = 4;
    /** What a record id may be in a URL path; its length cap is the one every dialect keeps. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1," + RecordIds.MAX_LENGTH + "}");

    private final int maxIds;
    private final int maxConcurrentCalls;
    private final String idsPath;
    private final String fetchPath;
    private final String fieldsParam;
    private final String recordPath;

    public LegacyConnector(Vertx vertx, RegisterSettings settings) {
        super(vertx, settings);
        JsonObject search = section("search");
        JsonObject fetch = section("fetch");
        this.fetchPath = path(fetch);
        if (!fetchPath.contains("{recordId}")) {
            throw badOptions("fetch.path must contain {recordId}");
        }
        this.idsPath = search.getString("idsPath", "ids");
        this.maxIds = search.getInteger("maxIds", DEFAULT_MAX_IDS);
        this.fieldsParam = fetch.getString("fieldsParam");
        this.recordPath = fetch.getString("recordPath");
        this.maxConcurrentCalls = settings.options().getInteger("maxConcurrentCalls", DEFAULT_MAX_CONCURRENT_CALLS);
        if (maxConcurrentCalls < 1 || maxIds < 1) {
            throw badOptions("maxConcurrentCalls and search.maxIds must be positive");
        }
    }

    @Override
    public Future<List<ChildRecord>> search(SearchRequest request) {
        String path = searchPath + "?" + queryString(mapping.fromCriteria(request.criteria()));
        Set<String> keep = RecordIds.withRecordId(request.fields());
        String fields = fieldsParam == null ? null : String.join(",", mapping.sourceFields(request.fields()));
        return read(request(HttpMethod.GET, path), null, request.deadline(), JSON)
                .map(b -> ids(HttpDialects.parse(b, "legacy")))
                .compose(ids -> idsOnly(request.fields())
                        // Record ids are all that is wanted (a register withheld from the caller,
                        // A5, A9): no per-record call, so a match costs no more time than none.
                        ? Future.succeededFuture(ids.stream().map(ChildRecord::idOnly).toList())
                        : fetchAll(ids, fields, keep, request.deadline()));
    }

    private static boolean idsOnly(Set<String> fields) {
        return fields.size() == 1 && fields.contains(CanonicalFields.RECORD_ID);
    }

    private List<String> ids(JsonNode answer) {
        JsonNode ids = searchList(answer, idsPath, maxIds, "ids");
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode id : ids) {
            if (!id.isTextual() || !ID.matcher(id.asText()).matches()) {
                throw RegisterFailure.error("search answer has an invalid id");
            }
            out.add(id.asText());
        }
        return new ArrayList<>(out);
    }

    /** Fetches every record, at most {@code maxConcurrentCalls} at a time, within the deadline. */
    private Future<List<ChildRecord>> fetchAll(List<String> ids, String fields, Set<String> keep, Deadline deadline) {
        ChildRecord[] found = new ChildRecord[ids.size()];
        Promise<List<ChildRecord>> done = Promise.promise();
        if (ids.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        Iterator<Integer> next = java.util.stream.IntStream.range(0, ids.size()).iterator();
        int[] outstanding = {ids.size()};
        Runnable[] startNext = new Runnable[1];
        startNext[0] = () -> {
            if (done.future().isComplete() || !next.hasNext()) {
                return;
            }
            int i = next.next();
            fetch(ids.get(i), fields, keep, deadline).onComplete(ar -> {
                if (ar.failed()) {
                    done.tryFail(ar.cause());
                    return;
                }
                found[i] = ar.result();
                if (--outstanding[0] == 0) {
                    done.tryComplete(List.of(found));
                } else {
                    startNext[0].run();
                }
            });
        };
        for (int k = 0; k < Math.min(maxConcurrentCalls, ids.size()); k++) {
            startNext[0].run();
        }
        return done.future();
    }

    private Future<ChildRecord> fetch(String id, String fields, Set<String> keep, Deadline deadline) {
        String path = HttpDialects.fill(fetchPath, Map.of("recordId", id))
                + (fields == null ? "" : "?" + HttpDialects.query(fieldsParam) + "=" + HttpDialects.query(fields));
        return read(request(HttpMethod.GET, path), null, deadline, JSON).map(b -> {
            JsonNode answer = HttpDialects.parse(b, "legacy");
            ChildRecord r = map(recordPath == null ? answer : HttpDialects.at(answer, recordPath), keep);
            if (!id.equals(r.recordId())) {
                throw RegisterFailure.error("record answer is for another id");
            }
            return r;
        });
    }

    /** The mapped criteria as a query string: plain values once, lists repeated, objects skipped. */
    private static String queryString(ObjectNode params) {
        StringBuilder q = new StringBuilder();
        params.fields().forEachRemaining(e -> {
            List<JsonNode> values = new ArrayList<>();
            if (e.getValue().isArray()) {
                e.getValue().forEach(values::add);
            } else {
                values.add(e.getValue());
            }
            for (JsonNode v : values) {
                if (v.isValueNode()) {
                    if (q.length() > 0) {
                        q.append('&');
                    }
                    q.append(HttpDialects.query(e.getKey())).append('=').append(HttpDialects.query(v.asText()));
                }
            }
        });
        return q.toString();
    }
}
