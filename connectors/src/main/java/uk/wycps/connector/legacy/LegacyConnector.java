package uk.wycps.connector.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.time.LocalDate;
import uk.wycps.connector.statistics.RegisterStatistics;
import uk.wycps.connector.statistics.StatisticsClient;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.SearchRequest;
import uk.wycps.connector.http.BoundedHttpCall;
import uk.wycps.connector.http.RegisterHttpClients;
import uk.wycps.connector.mappedjson.HttpDialectSupport;
import uk.wycps.connector.mappedjson.JsonMapping;
import uk.wycps.connector.mappedjson.MappedJsonAccess;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.EnquiryHistoryEntry;

/**
 * Dialect {@code legacy-two-step}: a register whose search answers record ids only, then one
 * call per record. Both steps share the search's deadline (the per-record calls get only what
 * is left), at most {@code maxConcurrentCalls} per-record calls run at once, and a record that
 * cannot be fetched makes the whole search fail: a partial list is never passed off as the
 * register's answer. Options:
 * <ul>
 *   <li>{@code search.path} (GET, the criteria as query parameters by {@code criteria}),
 *       {@code search.idsPath} (where the id list is), {@code search.maxIds} (default 50);</li>
 *   <li>{@code fetch.path} (GET, with {@code {recordId}}), {@code fetch.fieldsParam} (query
 *       parameter naming the fields asked for, comma-separated, A5), {@code fetch.recordPath}
 *       (where the record is in the answer; absent: the whole answer);</li>
 *   <li>{@code record}, {@code criteria}, {@code codes}, {@code dateFormat}: as {@code mapped-json};</li>
 *   <li>{@code maxConcurrentCalls} (default 4), {@code enquiry}, {@code checkpoint}: as {@code mapped-json}.</li>
 * </ul>
 */
public final class LegacyConnector implements RegisterConnector {

    public static final int DEFAULT_MAX_IDS = 50;
    public static final int DEFAULT_MAX_CONCURRENT_CALLS = 4;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private final RegisterSettings settings;
    private final HttpClientAgent client;
    private final BoundedHttpCall call;
    private final String basePath;
    private final JsonMapping mapping;
    private final String searchPath;
    private final String idsPath;
    private final int maxIds;
    private final String fetchPath;
    private final String fieldsParam;
    private final String recordPath;
    private final int maxConcurrentCalls;
    private final MappedJsonAccess.Writes writes;

    public LegacyConnector(Vertx vertx, RegisterSettings settings) {
        this.settings = settings;
        String a = settings.authority();
        JsonObject options = settings.options();
        this.mapping = JsonMapping.fromOptions(a, options);
        JsonObject search = options.getJsonObject("search", new JsonObject());
        this.searchPath = HttpDialectSupport.template(search, "path", null, a);
        this.idsPath = search.getString("idsPath", "ids");
        this.maxIds = search.getInteger("maxIds", DEFAULT_MAX_IDS);
        JsonObject fetch = options.getJsonObject("fetch", new JsonObject());
        this.fetchPath = HttpDialectSupport.template(fetch, "path", null, a);
        if (!fetchPath.contains("{recordId}")) {
            throw new IllegalArgumentException("register '" + a + "': fetch.path must contain {recordId}");
        }
        this.fieldsParam = fetch.getString("fieldsParam");
        this.recordPath = fetch.getString("recordPath");
        this.maxConcurrentCalls = options.getInteger("maxConcurrentCalls", DEFAULT_MAX_CONCURRENT_CALLS);
        if (maxConcurrentCalls < 1 || maxIds < 1) {
            throw new IllegalArgumentException("register '" + a + "': maxConcurrentCalls and search.maxIds must be positive");
        }
        this.writes = MappedJsonAccess.Writes.fromOptions(options, a);
        this.client = RegisterHttpClients.create(vertx, settings);
        this.call = new BoundedHttpCall(vertx, client, settings.maxResponseBytes());
        this.basePath = RegisterHttpClients.basePath(settings);
    }

    @Override
    public String authority() {
        return settings.authority();
    }

    @Override
    public Future<List<ChildRecord>> search(SearchRequest request) {
        String uri = basePath + searchPath + "?" + queryString(mapping.fromCriteria(request.criteria()));
        Set<String> keep = MappedJsonAccess.withRecordId(request.fields());
        String fields = fieldsParam == null ? null : String.join(",", mapping.sourceFields(request.fields()));
        return call.exchange(new RequestOptions().setMethod(HttpMethod.GET).setURI(uri), null, request.deadline(),
                        "application/json")
                .compose(b -> {
                    List<String> ids;
                    try {
                        ids = ids(HttpDialectSupport.parse(b, "legacy"));
                    } catch (RegisterFailure f) {
                        return Future.failedFuture(f);
                    }
                    if (idsOnly(request.fields())) {
                        // Record ids are all that is wanted (a register withheld from the caller,
                        // A5, A9): no per-record call, so a match costs no more time than none.
                        return Future.succeededFuture(ids.stream().map(ChildRecord::idOnly).toList());
                    }
                    return fetchAll(ids, fields, keep, request.deadline());
                });
    }

    private static boolean idsOnly(Set<String> fields) {
        return fields.size() == 1 && fields.contains(uk.wycps.record.CanonicalFields.RECORD_ID);
    }

    private List<String> ids(JsonNode answer) {
        JsonNode ids = answer;
        for (String part : idsPath.split("\\.")) {
            ids = ids != null && ids.isObject() ? ids.get(part) : null;
        }
        if (ids == null || !ids.isArray()) {
            throw RegisterFailure.error("search answer has no list of ids");
        }
        if (ids.size() > maxIds) {
            throw RegisterFailure.error("search answer has more than " + maxIds + " ids");
        }
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
        String uri = basePath + HttpDialectSupport.fill(fetchPath, Map.of("recordId", id))
                + (fields == null ? "" : "?" + HttpDialectSupport.query(fieldsParam) + "=" + HttpDialectSupport.query(fields));
        return call.exchange(new RequestOptions().setMethod(HttpMethod.GET).setURI(uri), null, deadline, "application/json")
                .compose(b -> {
                    try {
                        JsonNode answer = HttpDialectSupport.parse(b, "legacy");
                        JsonNode record = answer;
                        if (recordPath != null) {
                            for (String part : recordPath.split("\\.")) {
                                record = record != null && record.isObject() ? record.get(part) : null;
                            }
                        }
                        ChildRecord r = MappedJsonAccess.map(mapping, record, keep);
                        if (!id.equals(r.recordId())) {
                            return Future.failedFuture(RegisterFailure.error("record answer is for another id"));
                        }
                        return Future.succeededFuture(r);
                    } catch (RegisterFailure f) {
                        return Future.failedFuture(f);
                    }
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
                    q.append(HttpDialectSupport.query(e.getKey())).append('=').append(HttpDialectSupport.query(v.asText()));
                }
            }
        });
        return q.toString();
    }

    @Override
    public Future<Void> recordEnquiry(String recordId, EnquiryHistoryEntry entry, Deadline deadline) {
        return writes.recordEnquiry(call, basePath, mapping, recordId, entry, deadline);
    }

    @Override
    public Future<RegisterStatistics> statistics(LocalDate asOf, Deadline deadline) {
        return StatisticsClient.fetch(call, basePath, asOf, deadline);
    }

    @Override
    public Future<Void> publishCheckpoint(AuditCheckpoint checkpoint, Deadline deadline) {
        return writes.publishCheckpoint(call, basePath, checkpoint, deadline);
    }

    @Override
    public Future<Void> close() {
        return client.close();
    }
}
