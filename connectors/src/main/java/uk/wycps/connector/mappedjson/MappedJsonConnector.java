package uk.wycps.connector.mappedjson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import uk.wycps.connector.RecordIds;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.SearchRequest;
import uk.wycps.connector.http.HttpDialects;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.RecordJson;

/**
 * Dialect {@code mapped-json}: JSON over HTTP in a register's own names, code lists and date
 * format, all of it configuration ({@link JsonMapping}; F3). Options:
 * <ul>
 *   <li>{@code search.path} (POST), {@code search.criteriaParam} (where the criteria go in the
 *       body; absent: at the top level), {@code search.fieldsParam} (the register's field
 *       names asked for, A5), {@code search.recordsPath} (where the answer's list is),
 *       {@code search.maxRecords} (default 200: the register's own cap, if lower),
 *       {@code search.countPath}, {@code search.errorPath} ({@link #searchList});</li>
 *   <li>{@code record}, {@code criteria}, {@code codes}, {@code dateFormat}: the mapping;</li>
 *   <li>{@code enquiry.method}/{@code enquiry.path}/{@code enquiry.body}: the enquiry-history
 *       write, path with {@code {recordId}} and {@code {entryId}};</li>
 *   <li>{@code checkpoint.path}: where audit checkpoints go ({@code {index}}), optional.</li>
 * </ul>
 */
public final class MappedJsonConnector extends MappedHttpConnector {

    public static final int DEFAULT_MAX_RECORDS = 200;

    /** The {@code search} options besides its path. */
    private record SearchOptions(String criteriaParam, String fieldsParam, String recordsPath, int maxRecords) {
    }

    private final SearchOptions options;

    public MappedJsonConnector(Vertx vertx, RegisterSettings settings) {
        super(vertx, settings);
        JsonObject search = section("search");
        this.options = new SearchOptions(search.getString("criteriaParam"), search.getString("fieldsParam"),
                search.getString("recordsPath"), search.getInteger("maxRecords", DEFAULT_MAX_RECORDS));
        if (options.recordsPath() == null || options.recordsPath().isBlank()) {
            throw badOptions("search.recordsPath is required");
        }
    }

    @Override
    public Future<List<ChildRecord>> search(SearchRequest request) {
        ObjectNode body = RecordJson.mapper().createObjectNode();
        ObjectNode criteria = mapping.fromCriteria(request.criteria());
        if (options.criteriaParam() == null) {
            body.setAll(criteria);
        } else {
            body.set(options.criteriaParam(), criteria);
        }
        if (options.fieldsParam() != null) {
            body.set(options.fieldsParam(), RecordJson.mapper().valueToTree(mapping.sourceFields(request.fields())));
        }
        Buffer buffer;
        try {
            buffer = Buffer.buffer(RecordJson.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            return Future.failedFuture(RegisterFailure.error("could not encode the query"));
        }
        Set<String> keep = RecordIds.withRecordId(request.fields());
        return read(request(HttpMethod.POST, searchPath), buffer, request.deadline(), JSON)
                .map(b -> parse(b, keep));
    }

    private List<ChildRecord> parse(Buffer body, Set<String> keep) {
        JsonNode records = searchList(HttpDialects.parse(body, "mapped-json"), options.recordsPath(),
                options.maxRecords(), "records");
        List<ChildRecord> out = new ArrayList<>(records.size());
        for (JsonNode r : records) {
            out.add(map(r, keep));
        }
        return out;
    }
}
