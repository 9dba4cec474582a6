package uk.wycps.connector.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import uk.wycps.connector.statistics.RegisterStatistics;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RecordIds;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.SecretFiles;
import uk.wycps.record.SearchCriteria;
import uk.wycps.connector.SearchRequest;
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.ConcernCategory;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.FieldProjection;
import uk.wycps.record.Gender;
import uk.wycps.record.RecordJson;

/**
 * Dialect {@code sql-jdbc}: a register read over JDBC ({@code baseUrl} is the JDBC URL, e.g.
 * {@code jdbc:h2:tcp://host:port/mem:leeds}). The search is one configured, parameterised query
 * run over a read-only connection as a user who may only read; the caller's criteria are only
 * ever bound as parameters, never written into the SQL. The select list is built from the
 * configured column names of the requested fields alone (A5). JDBC runs on a dedicated worker
 * pool, never on an event loop; at the deadline the statement is cancelled and its connection
 * closed, and the search fails with TIMEOUT.
 *
 * <p>Options: {@code user}, {@code password} or {@code passwordFile} ({@link SecretFiles});
 * {@code query} (with {@code {columns}} where the select list goes and one {@code ?} per entry
 * of {@code parameters}, each one of {@code familyName}, {@code givenName}, {@code dateOfBirth},
 * {@code gender}, {@code postcode}); {@code columns} (canonical field to column name; a nested
 * object maps a flat record such as an address column by column; a list or record field in one
 * column is a JSON document in canonical shape); {@code codes} (as {@code mapped-json});
 * {@code maxRecords} (200); {@code poolSize} (4); and for writes, as a user who may insert only
 * there, {@code writerUser}, {@code writerPassword} or {@code writerPasswordFile},
 * {@code enquiryInsert} with {@code enquiryParameters} (names of the entry's fields, and
 * {@code recordId}), and {@code checkpointInsert} / {@code checkpointSelect} (index; head, at,
 * keyId, signature).
 */
public final class SqlConnector implements RegisterConnector {

    public static final int DEFAULT_MAX_RECORDS = 200;
    public static final int DEFAULT_POOL_SIZE = 4;
    private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");
    private static final Set<String> CRITERIA = Set.of("familyName", "givenName", "dateOfBirth", "gender", "postcode");
    private static final Set<String> ENTRY_FIELDS = Set.of("recordId", "entryId", "enquiryId", "at", "subject", "role",
            "agency", "authority", "purpose", "consentBasis");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Vertx vertx;
    private final RegisterSettings settings;
    private final String url;
    private final String query;
    private final List<String> parameters;
    private final JsonObject columns;
    private final Map<String, Map<String, JsonNode>> codes = new HashMap<>();
    private final Map<String, Map<String, String>> reverseCodes = new HashMap<>();
    private final int maxRecords;
    private final int maxInFlight;
    private final WorkerExecutor worker;
    private final Pool readers;
    private final Pool writers;
    private final String enquiryInsert;
    private final List<String> enquiryParameters;
    private final String checkpointInsert;
    private final String checkpointSelect;
    private final String statisticsQuery;
    private final AtomicInteger inFlight = new AtomicInteger();

    public SqlConnector(Vertx vertx, RegisterSettings settings) {
        this.vertx = vertx;
        this.settings = settings;
        String where = "register '" + settings.authority() + "': ";
        JsonObject o = settings.options();
        this.url = settings.baseUrl().toString();
        if (!url.startsWith("jdbc:")) {
            throw new IllegalArgumentException(where + "baseUrl must be a JDBC URL");
        }
        this.query = o.getString("query");
        if (query == null || !query.contains("{columns}") || query.indexOf("{columns}") != query.lastIndexOf("{columns}")) {
            throw new IllegalArgumentException(where + "options.query must contain {columns} once");
        }
        this.parameters = strings(o.getJsonArray("parameters", new JsonArray()), where + "options.parameters");
        for (String p : parameters) {
            if (!CRITERIA.contains(p)) {
                throw new IllegalArgumentException(where + "options.parameters: unknown criterion '" + p + "'");
            }
        }
        if (count(query, '?') != parameters.size()) {
            throw new IllegalArgumentException(where + "options.query needs one ? per parameter");
        }
        this.columns = o.getJsonObject("columns");
        if (columns == null || !columns.containsKey(CanonicalFields.RECORD_ID)) {
            throw new IllegalArgumentException(where + "options.columns must map recordId");
        }
        if (!columns.containsKey(CanonicalFields.SHIELDED)
                && CanonicalFields.location().stream().anyMatch(columns::containsKey)) {
            throw new IllegalArgumentException(where + "options.columns maps a location field but not shielded: the"
                    + " gateway could not tell a shielded child's record, whose location must never leave its"
                    + " authority (A10)");
        }
        checkColumns(columns, ChildRecord.class, where + "options.columns");
        JsonObject lists = o.getJsonObject("codes", new JsonObject());
        for (String list : lists.fieldNames()) {
            Map<String, JsonNode> m = new LinkedHashMap<>();
            Map<String, String> r = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : lists.getJsonObject(list)) {
                JsonNode v = e.getValue() instanceof Boolean b ? NODES.booleanNode(b) : NODES.textNode(String.valueOf(e.getValue()));
                m.put(e.getKey(), v);
                r.putIfAbsent(v.asText(), e.getKey());
            }
            codes.put(list, m);
            reverseCodes.put(list, r);
        }
        this.maxRecords = o.getInteger("maxRecords", DEFAULT_MAX_RECORDS);
        int poolSize = o.getInteger("poolSize", DEFAULT_POOL_SIZE);
        this.maxInFlight = poolSize + settings.maxWaitQueue();
        this.enquiryInsert = o.getString("enquiryInsert");
        this.enquiryParameters = strings(o.getJsonArray("enquiryParameters", new JsonArray()), where + "options.enquiryParameters");
        for (String p : enquiryParameters) {
            if (!ENTRY_FIELDS.contains(p)) {
                throw new IllegalArgumentException(where + "options.enquiryParameters: unknown field '" + p + "'");
            }
        }
        if (enquiryInsert != null && count(enquiryInsert, '?') != enquiryParameters.size()) {
            throw new IllegalArgumentException(where + "options.enquiryInsert needs one ? per enquiry parameter");
        }
        this.checkpointInsert = o.getString("checkpointInsert");
        this.checkpointSelect = o.getString("checkpointSelect");
        if (checkpointInsert != null && (count(checkpointInsert, '?') != 5 || checkpointSelect == null
                || count(checkpointSelect, '?') != 1)) {
            throw new IllegalArgumentException(where + "options.checkpointInsert needs 5 parameters and checkpointSelect 1");
        }
        this.statisticsQuery = o.getString("statisticsQuery");
        if (statisticsQuery != null && count(statisticsQuery, '?') != 1) {
            throw new IllegalArgumentException(where + "options.statisticsQuery takes one parameter, the as-of date");
        }
        Password readerPassword = password(o, "password", "passwordFile", where);
        boolean writerHasOwn = o.containsKey("writerPassword") || o.containsKey("writerPasswordFile");
        this.readers = new Pool(url, o.getString("user"), readerPassword, true);
        this.writers = new Pool(url, o.getString("writerUser", o.getString("user")),
                writerHasOwn ? password(o, "writerPassword", "writerPasswordFile", where) : readerPassword, false);
        this.worker = vertx.createSharedWorkerExecutor("sql-register-" + settings.authority(), poolSize,
                Math.max(settings.deadline().toMillis() * 10, 60_000), TimeUnit.MILLISECONDS);
    }

    @Override
    public String authority() {
        return settings.authority();
    }

    @Override
    public Future<List<ChildRecord>> search(SearchRequest request) {
        Set<String> keep = RecordIds.withRecordId(request.fields());
        String sql = sqlFor(keep);
        List<Object> values = new ArrayList<>();
        for (String p : parameters) {
            values.add(parameter(request.criteria(), p));
        }
        return run(request.deadline(), readers, (conn, statement) -> {
            try (PreparedStatement ps = conn.prepareStatement(sql)) {
                statement.set(ps);
                ps.setMaxRows(maxRecords + 1);
                for (int i = 0; i < values.size(); i++) {
                    ps.setObject(i + 1, values.get(i));
                }
                ps.setQueryTimeout((int) Math.max(1, (request.deadline().remainingMillis() + 999) / 1000));
                List<ChildRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (out.size() == maxRecords) {
                            throw RegisterFailure.error("answer has more than " + maxRecords + " records");
                        }
                        out.add(FieldProjection.project(row(rs, keep), keep));
                    }
                }
                return out;
            }
        });
    }

    /** The query for these fields: only configured column names reach the SQL text, and only the asked ones (A5). */
    String sqlFor(Set<String> keep) {
        List<String> selected = new ArrayList<>();
        for (String field : CanonicalFields.topLevel()) {
            Object spec = columns.getValue(field);
            if (spec != null && keep.contains(field)) {
                collect(spec, selected);
            }
        }
        return query.replace("{columns}", String.join(", ", new LinkedHashSet<>(selected)));
    }

    private Object parameter(SearchCriteria c, String name) {
        return switch (name) {
            case "familyName" -> c.familyName();
            case "givenName" -> c.givenName();
            case "dateOfBirth" -> c.dateOfBirth();
            case "gender" -> c.gender() == null ? null
                    : reverseCodes.containsKey("gender") ? reverseCodes.get("gender").get(c.gender().code()) : c.gender().code();
            case "postcode" -> c.postcode();
            default -> throw new IllegalStateException("unchecked parameter");
        };
    }

    // ---- rows -> canonical records ------------------------------------------------------------

    private ChildRecord row(ResultSet rs, Set<String> keep) throws SQLException {
        ObjectNode node = NODES.objectNode();
        Map<String, RecordComponent> components = CanonicalFields.components(ChildRecord.class);
        for (String field : CanonicalFields.topLevel()) {
            Object spec = columns.getValue(field);
            if (spec == null || !keep.contains(field)) {
                continue;
            }
            JsonNode v = value(rs, spec, components.get(field), field);
            if (v != null) {
                node.set(field, v);
            }
        }
        ChildRecord record;
        try {
            record = RecordJson.mapper().treeToValue(node, ChildRecord.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw RegisterFailure.error("a row does not fit the canonical model");
        }
        return RecordIds.require(record);
    }

    private JsonNode value(ResultSet rs, Object spec, RecordComponent component, String name) throws SQLException {
        Class<?> type = component.getType();
        if (spec instanceof JsonObject flat) {
            ObjectNode o = NODES.objectNode();
            Map<String, RecordComponent> inner = CanonicalFields.components(type);
            for (String k : flat.fieldNames()) {
                JsonNode v = value(rs, flat.getValue(k), inner.get(k), k);
                if (v != null) {
                    o.set(k, v);
                }
            }
            return o.isEmpty() ? null : o;
        }
        String column = column((String) spec);
        if (type == LocalDate.class) {
            LocalDate d = rs.getObject(column, LocalDate.class);
            return d == null ? null : NODES.textNode(d.toString());
        }
        if (type == List.class || type.isRecord()) {
            String json = rs.getString(column);
            if (json == null) {
                return null;
            }
            try {
                return RecordJson.mapper().readTree(json);
            } catch (java.io.IOException e) {
                throw RegisterFailure.error("column for '" + name + "' is not a JSON document");
            }
        }
        Object raw = rs.getObject(column);
        if (raw == null) {
            return null;
        }
        String list = type == Gender.class ? "gender" : type == ConcernCategory.class ? "concernCategory"
                : type == Boolean.class ? "indicator" : "status".equals(name) ? "registrationStatus" : null;
        if (list != null && codes.containsKey(list)) {
            JsonNode mapped = codes.get(list).get(String.valueOf(raw));
            if (mapped == null) {
                throw RegisterFailure.error("'" + name + "' has a code outside code list " + list);
            }
            return mapped;
        }
        if (raw instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (raw instanceof String s) {
            return NODES.textNode(s);
        }
        throw RegisterFailure.error("column for '" + name + "' has an unexpected type");
    }

    /** The bare column label of a configured {@code alias.column}. */
    private static String column(String configured) {
        int dot = configured.indexOf('.');
        return dot < 0 ? configured : configured.substring(dot + 1);
    }

    private static void collect(Object spec, List<String> out) {
        if (spec instanceof JsonObject flat) {
            flat.forEach(e -> collect(e.getValue(), out));
        } else {
            out.add((String) spec);
        }
    }

    // ---- writes -------------------------------------------------------------------------------

    @Override
    public Future<Void> recordEnquiry(String recordId, EnquiryHistoryEntry entry, Deadline deadline) {
        if (enquiryInsert == null) {
            return Future.failedFuture(RegisterFailure.error("this register keeps no enquiry history"));
        }
        List<Object> values = new ArrayList<>();
        for (String p : enquiryParameters) {
            values.add(switch (p) {
                case "recordId" -> recordId;
                case "entryId" -> entry.entryId();
                case "enquiryId" -> entry.enquiryId();
                case "at" -> entry.at() == null ? null : entry.at().toString();
                case "subject" -> entry.subject();
                case "role" -> entry.role();
                case "agency" -> entry.agency();
                case "authority" -> entry.authority();
                case "purpose" -> entry.purpose();
                case "consentBasis" -> entry.consentBasis();
                default -> throw new IllegalStateException("unchecked parameter");
            });
        }
        return run(deadline, writers, (conn, statement) -> {
            try (PreparedStatement ps = conn.prepareStatement(enquiryInsert)) {
                statement.set(ps);
                for (int i = 0; i < values.size(); i++) {
                    ps.setObject(i + 1, values.get(i));
                }
                ps.executeUpdate();
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    return null; // already held: idempotent on the entry id
                }
                if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                    throw RegisterFailure.error("register refused the entry (no such record)");
                }
                throw e;
            }
            return null;
        }).mapEmpty();
    }

    @Override
    public boolean keepsCheckpoints() {
        return checkpointInsert != null;
    }

    @Override
    public Future<Void> publishCheckpoint(AuditCheckpoint checkpoint, Deadline deadline) {
        if (checkpointInsert == null) {
            return RegisterConnector.super.publishCheckpoint(checkpoint, deadline);
        }
        return run(deadline, writers, (conn, statement) -> {
            try (PreparedStatement ps = conn.prepareStatement(checkpointInsert)) {
                statement.set(ps);
                ps.setLong(1, checkpoint.index());
                ps.setString(2, checkpoint.head());
                ps.setString(3, checkpoint.at());
                ps.setString(4, checkpoint.keyId());
                ps.setString(5, checkpoint.signature());
                ps.executeUpdate();
                return null;
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState())) {
                    throw e;
                }
            }
            try (PreparedStatement ps = conn.prepareStatement(checkpointSelect)) {
                statement.set(ps);
                ps.setLong(1, checkpoint.index());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && new AuditCheckpoint(checkpoint.index(), rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4)).equals(checkpoint)) {
                        return null;
                    }
                }
            }
            throw RegisterFailure.error("the register keeps a different checkpoint for this index");
        }).mapEmpty();
    }

    /**
     * Runs the configured {@code statisticsQuery} (as-of date; rows of table, row, count): the
     * register aggregates, the connector only reads the counts (S1).
     */
    @Override
    public Future<RegisterStatistics> statistics(LocalDate asOf, Deadline deadline) {
        if (statisticsQuery == null) {
            return RegisterConnector.super.statistics(asOf, deadline);
        }
        return run(deadline, readers, (conn, statement) -> {
            // Every (table, row) of the period, zeros included: the gateway refuses an answer
            // lacking a row (F5; a GROUP BY leaves out what it found none of, so join to the rows).
            Map<String, Map<String, Long>> tables = new java.util.LinkedHashMap<>();
            try (PreparedStatement ps = conn.prepareStatement(statisticsQuery)) {
                statement.set(ps);
                ps.setObject(1, asOf);
                try (ResultSet rs = ps.executeQuery()) {
                    int rows = 0;
                    while (rs.next()) {
                        if (++rows > 10_000) {
                            throw RegisterFailure.error("statistics answer has too many rows");
                        }
                        long count = rs.getLong(3);
                        if (rs.wasNull()) {
                            // a NULL count is no count, not zero (F5)
                            throw RegisterFailure.error("statistics answer has a count that is not a number");
                        }
                        tables.computeIfAbsent(rs.getString(1), t -> new java.util.LinkedHashMap<>())
                                .put(rs.getString(2), count);
                    }
                }
            }
            return new RegisterStatistics(asOf, tables);
        });
    }

    // ---- running JDBC off the event loop ------------------------------------------------------

    @FunctionalInterface
    private interface Work<T> {
        T apply(Connection connection, AtomicReference<java.sql.Statement> statement) throws SQLException;
    }

    /**
     * Runs {@code work} on the worker pool with a pooled connection, bounded by the deadline:
     * when it passes, the future fails with TIMEOUT and the statement is cancelled and its
     * connection closed, so a hung register frees the worker. Too many waiting: REJECTED.
     */
    private <T> Future<T> run(Deadline deadline, Pool pool, Work<T> work) {
        long budget = deadline.remainingMillis();
        if (budget <= 0) {
            return Future.failedFuture(RegisterFailure.timeout(0));
        }
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            return Future.failedFuture(new RegisterFailure(RegisterFailure.Kind.REJECTED, "too many queries waiting"));
        }
        Promise<T> promise = Promise.promise();
        AtomicReference<Connection> connection = new AtomicReference<>();
        AtomicReference<java.sql.Statement> statement = new AtomicReference<>();
        long timer = vertx.setTimer(budget, id -> {
            if (promise.tryFail(RegisterFailure.timeout(budget))) {
                abandon(statement.get(), connection.getAndSet(null));
            }
        });
        worker.<T>executeBlocking(() -> {
            if (deadline.expired()) {
                throw RegisterFailure.timeout(budget);
            }
            Connection conn = pool.borrow();
            connection.set(conn);
            try {
                T result = work.apply(conn, statement);
                if (connection.compareAndSet(conn, null)) {
                    pool.release(conn);
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                if (connection.compareAndSet(conn, null)) {
                    if (e instanceof RegisterFailure) {
                        pool.release(conn);
                    } else {
                        close(conn);
                    }
                }
                throw e;
            }
        }, false).onComplete(ar -> {
            vertx.cancelTimer(timer);
            inFlight.decrementAndGet();
            if (ar.succeeded()) {
                promise.tryComplete(ar.result());
            } else {
                promise.tryFail(failure(ar.cause(), budget));
            }
        });
        return promise.future();
    }

    /** A JDBC failure in plain words: never the SQL, never a value; SQLState only. */
    static RegisterFailure failure(Throwable t, long budget) {
        if (t instanceof RegisterFailure f) {
            return f;
        }
        if (t instanceof SQLTimeoutException || (t instanceof SQLException s && "57014".equals(s.getSQLState()))) {
            return RegisterFailure.timeout(budget);
        }
        if (t instanceof SQLNonTransientConnectionException || t instanceof SQLTransientConnectionException
                || (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08"))) {
            return RegisterFailure.connection("register database unreachable");
        }
        if (t instanceof SQLException s) {
            return RegisterFailure.error("register query failed (SQLState " + s.getSQLState() + ")");
        }
        return RegisterFailure.error("register query failed");
    }

    /**
     * Cancels a statement past its deadline and closes its connection, on a thread of its own:
     * a JDBC driver may block in either call while the query runs, and an event loop must not.
     */
    private static void abandon(java.sql.Statement statement, Connection connection) {
        Thread t = new Thread(() -> cancelAndClose(statement, connection), "sql-register-abandon");
        t.setDaemon(true);
        t.start();
    }

    private static void cancelAndClose(java.sql.Statement statement, Connection connection) {
        if (statement != null) {
            try {
                statement.cancel();
            } catch (SQLException | RuntimeException ignored) {
                // Closing the connection below ends it anyway.
            }
        }
        close(connection);
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException | RuntimeException ignored) {
                // Already gone.
            }
        }
    }

    @Override
    public Future<Void> close() {
        readers.closeAll();
        writers.closeAll();
        return worker.close();
    }

    /** Idle connections for reuse; a connection is created when none is idle. */
    /** Where a pool's password comes from: the options themselves, or a file read at each new connection. */
    @FunctionalInterface
    private interface Password {
        String get() throws IOException;
    }

    private static final class Pool {
        private final String url;
        private final String user;
        private final Password password;
        private final boolean readOnly;
        private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();

        Pool(String url, String user, Password password, boolean readOnly) {
            this.url = url;
            this.user = user;
            this.password = password;
            this.readOnly = readOnly;
        }

        Connection borrow() throws SQLException {
            Connection c;
            while ((c = idle.pollFirst()) != null) {
                if (!c.isClosed()) {
                    return c;
                }
            }
            c = DriverManager.getConnection(url, props(user, password));
            c.setReadOnly(readOnly);
            c.setAutoCommit(true);
            return c;
        }

        void release(Connection c) {
            idle.offerFirst(c);
        }

        void closeAll() {
            Connection c;
            while ((c = idle.pollFirst()) != null) {
                close(c);
            }
        }
    }

    // ---- configuration helpers ----------------------------------------------------------------

    /**
     * The password given inline as {@code inline} or in the file {@code file} names (made
     * absolute and checked its owner's alone by the configuration loader: {@link SecretFiles}).
     */
    private static Password password(JsonObject o, String inline, String file, String where) {
        if (o.containsKey(inline) && o.containsKey(file)) {
            throw new IllegalArgumentException(where + "options." + file + ": give " + inline + " or " + file + ", not both");
        }
        String path = o.getString(file);
        if (path != null) {
            Path secret = Path.of(path);
            return () -> SecretFiles.read(secret);
        }
        String value = o.getString(inline);
        return () -> value;
    }

    /** Runs on the worker: a password file is read here, so a changed password serves the next connection. */
    private static Properties props(String user, Password password) throws SQLException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        String secret;
        try {
            secret = password.get();
        } catch (IOException e) {
            // 28000, invalid authorization: the register answers ERROR, never "no record" (F5).
            throw new SQLException("the register's password file cannot be read", "28000");
        }
        if (secret != null) {
            p.setProperty("password", secret);
        }
        return p;
    }

    private static List<String> strings(JsonArray a, String where) {
        List<String> out = new ArrayList<>();
        for (Object o : a) {
            if (!(o instanceof String s)) {
                throw new IllegalArgumentException(where + " must be a list of names");
            }
            out.add(s);
        }
        return out;
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    private static void checkColumns(JsonObject spec, Class<?> type, String where) {
        Map<String, RecordComponent> components = CanonicalFields.components(type);
        for (String k : spec.fieldNames()) {
            RecordComponent c = components.get(k);
            if (c == null) {
                throw new IllegalArgumentException(where + "." + k + " is not a canonical field");
            }
            Object v = spec.getValue(k);
            if (v instanceof JsonObject nested) {
                if (!c.getType().isRecord()) {
                    throw new IllegalArgumentException(where + "." + k + " is not a record: give one column");
                }
                checkColumns(nested, c.getType(), where + "." + k);
            } else if (!(v instanceof String s) || !COLUMN.matcher(s).matches()) {
                throw new IllegalArgumentException(where + "." + k + " must be a column name");
            }
        }
    }
}
