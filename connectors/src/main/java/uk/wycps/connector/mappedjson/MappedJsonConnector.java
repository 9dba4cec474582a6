package uk.wycps.connector.mappedjson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.FieldProjection;
import uk.wycps.record.RecordJson;

/**
 * Dialect {@code mapped-json}: JSON over HTTP in a register's own names, code lists and date
 * format, all of it configuration ({@link JsonMapping}; F3). Options:
 * <ul>
 *   <li>{@code search.path} (POST), {@code search.criteriaParam} (where the criteria go in the
 *       body; absent: at the top level), {@code search.fieldsParam} (the register's field
 *       names asked for, A5), {@code search.recordsPath} (where the answer's list is),
 *       {@code search.maxRecords} (default 200);</li>
 *   <li>{@code record}, {@code criteria}, {@code codes}, {@code dateFormat}: the mapping;</li>
 *   <li>{@code enquiry.method}/{@code enquiry.path}/{@code enquiry.body}: the enquiry-history
 *       write, path with {@code {recordId}} and {@code {entryId}};</li>
 *   <li>{@code checkpoint.path}: where audit checkpoints go ({@code {index}}), optional.</li>
 * </ul>
 */
public final class MappedJsonConnector implements RegisterConnector {

    public static final int DEFAULT_MAX_RECORDS = 200;

    private final RegisterSettings settings;
    private final HttpClientAgent client;
    private final BoundedHttpCall call;
    private final String basePath;
    private final JsonMapping mapping;
    private final String searchPath;
    private final String criteriaParam;
    private final String fieldsParam;
    private final String recordsPath;
    private final int maxRecords;
    private final MappedJsonAccess.Writes writes;

    public MappedJsonConnector(Vertx vertx, RegisterSettings settings) {
        this.settings = settings;
        String a = settings.authority();
        JsonObject options = settings.options();
        this.mapping = JsonMapping.fromOptions(a, options);
        JsonObject search = options.getJsonObject("search", new JsonObject());
        this.searchPath = HttpDialectSupport.template(search, "path", null, a);
        this.criteriaParam = search.getString("criteriaParam");
        this.fieldsParam = search.getString("fieldsParam");
        this.recordsPath = search.getString("recordsPath");
        if (recordsPath == null || recordsPath.isBlank()) {
            throw new IllegalArgumentException("register '" + a + "': search.recordsPath is required");
        }
        this.maxRecords = search.getInteger("maxRecords", DEFAULT_MAX_RECORDS);
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
        ObjectNode body = RecordJson.mapper().createObjectNode();
        ObjectNode criteria = mapping.fromCriteria(request.criteria());
        if (criteriaParam == null) {
            body.setAll(criteria);
        } else {
            body.set(criteriaParam, criteria);
        }
        if (fieldsParam != null) {
            body.set(fieldsParam, RecordJson.mapper().valueToTree(mapping.sourceFields(request.fields())));
        }
        Buffer buffer;
        try {
            buffer = Buffer.buffer(RecordJson.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            return Future.failedFuture(RegisterFailure.error("could not encode the query"));
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(basePath + searchPath);
        Set<String> keep = withRecordId(request.fields());
        return call.exchange(options, buffer, request.deadline(), "application/json").compose(b -> {
            try {
                return Future.succeededFuture(parse(b, keep));
            } catch (RegisterFailure f) {
                return Future.failedFuture(f);
            }
        });
    }

    private List<ChildRecord> parse(Buffer body, Set<String> keep) {
        JsonNode answer = HttpDialectSupport.parse(body, "mapped-json");
        JsonNode records = answer;
        for (String part : recordsPath.split("\\.")) {
            records = records.isObject() ? records.get(part) : null;
            if (records == null) {
                break;
            }
        }
        if (records == null || !records.isArray()) {
            throw RegisterFailure.error("answer has no list of records");
        }
        if (records.size() > maxRecords) {
            throw RegisterFailure.error("answer has more than " + maxRecords + " records");
        }
        List<ChildRecord> out = new ArrayList<>(records.size());
        for (JsonNode r : records) {
            out.add(map(mapping, r, keep));
        }
        return out;
    }

    /** Maps one record, checks its id and keeps only the requested fields (A5). */
    /** @see MappedJsonAccess#map */
    static ChildRecord map(JsonMapping mapping, JsonNode source, Set<String> keep) {
        ChildRecord record;
        try {
            record = mapping.toRecord(source);
        } catch (JsonMapping.MappingException e) {
            throw RegisterFailure.error("answer not readable: " + e.getMessage());
        }
        if (record.recordId() == null || record.recordId().isBlank() || record.recordId().length() > 64) {
            throw RegisterFailure.error("answer has a record without a valid recordId");
        }
        return FieldProjection.project(record, keep);
    }

    /** The requested fields plus {@code recordId}: without it a record can be neither linked nor audited. */
    static Set<String> withRecordId(Set<String> fields) {
        Set<String> keep = new HashSet<>(fields);
        keep.add(CanonicalFields.RECORD_ID);
        return keep;
    }

    @Override
    public Future<Void> recordEnquiry(String recordId, EnquiryHistoryEntry entry, Deadline deadline) {
        return writes.recordEnquiry(call, basePath, mapping, recordId, entry, deadline);
    }

    static Future<Void> writeEnquiry(BoundedHttpCall call, String basePath, HttpMethod method, String template,
                                     JsonMapping mapping, String recordId, EnquiryHistoryEntry entry, Deadline deadline) {
        if (template == null) {
            return Future.failedFuture(RegisterFailure.error("this register keeps no enquiry history"));
        }
        ObjectNode mapped = mapping.fromEntry(entry);
        Buffer body;
        try {
            body = Buffer.buffer(RecordJson.mapper().writeValueAsBytes(mapped == null ? entry : mapped));
        } catch (JsonProcessingException e) {
            return Future.failedFuture(RegisterFailure.error("could not encode the entry"));
        }
        String uri = basePath + HttpDialectSupport.fill(template, Map.of("recordId", recordId, "entryId", entry.entryId()));
        return call.exchange(new RequestOptions().setMethod(method).setURI(uri), body, deadline, "application/json")
                .mapEmpty();
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
