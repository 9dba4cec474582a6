package uk.wycps.connector.fhir;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Set;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.SearchRequest;
import uk.wycps.connector.http.RegisterHttpClients;
import uk.wycps.connector.http.HttpDialectConnector;
import uk.wycps.connector.http.HttpDialects;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.RecordJson;

/**
 * Dialect {@code fhir-r4}: an HL7 FHIR R4 server ({@link Fhir} names the profile,
 * docs/connectors.md describes it).
 * <ul>
 *   <li>{@code GET {base}/metadata} once per connector: the CapabilityStatement, for the Patient
 *       search parameters the server offers ({@link FhirCapabilities});</li>
 *   <li>{@code GET {base}/Patient?...} several loose queries and their next pages
 *       ({@link FhirSearch}), read into canonical records ({@link FhirSearchSet},
 *       {@link FhirRecordReader});</li>
 *   <li>{@code PUT {base}/AuditEvent/{entryId}} records an enquiry (an update with the entry's
 *       id: idempotent);</li>
 *   <li>{@code PUT {base}/Basic/wycps-checkpoint-{index}} keeps an audit checkpoint.</li>
 * </ul>
 * Writes are sent as {@code application/fhir+json}; any 200 or 201 is success, with or without a
 * body, whatever its content type (a server may answer with the resource, an OperationOutcome
 * or nothing). Options: {@code maxPatients} (default 200), {@code pageSize} (default 50, HAPI's
 * own cap), {@code maxPages} (default 40).
 */
public final class FhirConnector extends HttpDialectConnector {

    public static final int DEFAULT_MAX_PATIENTS = 200;
    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int DEFAULT_MAX_PAGES = 40;
    /** How many answers' worth of bytes ({@code maxResponseBytes}) one search may read over all its pages. */
    public static final int SEARCH_ANSWERS = 4;

    private final String basePath;
    private final FhirSearch search;
    /** The server's CapabilityStatement, read once; reset after a failure so a later search asks again. */
    private Future<FhirCapabilities> capabilities;

    public FhirConnector(Vertx vertx, RegisterSettings settings) {
        super(vertx, settings);
        int maxPatients = positive(settings, "maxPatients", DEFAULT_MAX_PATIENTS);
        int pageSize = positive(settings, "pageSize", DEFAULT_PAGE_SIZE);
        int maxPages = positive(settings, "maxPages", DEFAULT_MAX_PAGES);
        this.basePath = RegisterHttpClients.basePath(settings);
        // A search's pages together: four answers' worth (the cap of each), not forty.
        this.search = new FhirSearch(settings.baseUrl(), basePath, maxPatients, maxPages, pageSize,
                SEARCH_ANSWERS * (long) settings.maxResponseBytes(), this::get);
    }

    private static int positive(RegisterSettings settings, String key, int fallback) {
        Integer v = settings.options() == null ? null : settings.options().getInteger(key);
        if (v == null) {
            return fallback;
        }
        if (v < 1) {
            throw new IllegalArgumentException("register '" + settings.authority() + "': " + key + " must be at least 1");
        }
        return v;
    }

    @Override
    public Future<List<ChildRecord>> search(SearchRequest request) {
        return capabilities(request.deadline()).compose(c -> search.run(request, c));
    }

    /**
     * The CapabilityStatement's word, read once. A server that does not serve one (404, 405, 410,
     * 501) is searched with the standard parameters from then on. Any other failure (a 500, a
     * redirect, not a CapabilityStatement, too large, a timeout, unreachable) fails this search
     * and is asked again next time: searched with the standard parameters, it would be reported
     * a whole check though the phonetic matching the server offers was not used (F5), and taken
     * for good, one bad moment would have narrowed every later search.
     */
    private Future<FhirCapabilities> capabilities(Deadline deadline) {
        Future<FhirCapabilities> f = capabilities;
        if (f == null) {
            f = get(basePath + "/metadata", deadline).map(FhirSearch.Fetched::json).map(FhirCapabilities::read)
                    .recover(e -> e instanceof RegisterFailure r && NOT_SERVED.contains(r.httpStatus())
                            ? Future.succeededFuture(FhirCapabilities.STANDARD) : Future.failedFuture(e));
            capabilities = f;
            // (a failure already complete resets the field at once: the local is what is read below)
            f.onFailure(e -> capabilities = null);
        }
        // Any other failure fails this search (F5): searched without the phonetic matching the
        // register offers, it would be reported as a whole check that could miss a Kahn for a Khan.
        return f;
    }

    /** The statuses of a server that has no CapabilityStatement to give. */
    private static final Set<Integer> NOT_SERVED = Set.of(404, 405, 410, 501);

    /** One GET of FHIR JSON on the register's host, and its size (a search counts its pages' bytes). */
    private Future<FhirSearch.Fetched> get(String pathAndQuery, Deadline deadline) {
        return read(new RequestOptions().setMethod(HttpMethod.GET).setURI(pathAndQuery)
                        .putHeader("Accept", Fhir.CONTENT_TYPE), null, deadline, Fhir.CONTENT_TYPE)
                .map(b -> new FhirSearch.Fetched(HttpDialects.parse(b, "FHIR"), b.length()));
    }

    // ---- writes -------------------------------------------------------------------------------

    @Override
    public Future<Void> recordEnquiry(String recordId, EnquiryHistoryEntry entry, Deadline deadline) {
        if (!FhirSearchSet.ID.matcher(entry.entryId()).matches() || !FhirSearchSet.ID.matcher(recordId).matches()) {
            return Future.failedFuture(RegisterFailure.error("entry or record id is not a valid FHIR id"));
        }
        return put("/AuditEvent/" + entry.entryId(), FhirResources.auditEvent(recordId, entry), deadline);
    }

    @Override
    public boolean keepsCheckpoints() {
        return true;
    }

    @Override
    public Future<Void> publishCheckpoint(AuditCheckpoint checkpoint, Deadline deadline) {
        return put("/Basic/" + Fhir.checkpointId(checkpoint.index()), FhirResources.checkpoint(checkpoint), deadline);
    }

    private Future<Void> put(String path, JsonNode resource, Deadline deadline) {
        Buffer body;
        try {
            body = Buffer.buffer(RecordJson.mapper().writeValueAsBytes(resource));
        } catch (JsonProcessingException e) {
            return Future.failedFuture(RegisterFailure.error("could not encode the resource"));
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.PUT).setURI(basePath + path)
                .putHeader("Accept", Fhir.CONTENT_TYPE);
        return write(options, body, Fhir.CONTENT_TYPE, deadline);
    }
}
