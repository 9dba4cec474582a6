package uk.wycps.mock;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.h2.tools.Server;
import org.h2.tools.SimpleResultSet;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.record.SearchCriteria;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.ConcernCategory;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.Gender;
import uk.wycps.record.RecordJson;
import uk.wycps.record.Registration;

/**
 * The {@code sql-jdbc} dialect of a mock register: an in-memory H2 database served by H2's TCP
 * server on its own port, beside the register's HTTP port (which keeps {@code /admin/faults}).
 *
 * <p>Schema: {@code child} (identity, address and registration as columns with Leeds' codes;
 * lists as JSON documents in canonical shape), {@code enquiry_history}, {@code audit_checkpoint},
 * the view {@code child_view} (a child with its enquiry history as a JSON array) and the table
 * function {@code WYCPS_CANDIDATES(family, given, dob, gender, postcode)}: the register's own
 * pre-filter (the mock's candidate index), ranked. Users: {@code register_reader} may only
 * SELECT from {@code child_view}; {@code register_notifier} may only INSERT into and SELECT
 * from {@code enquiry_history} and {@code audit_checkpoint}.
 *
 * <p>Faults act in {@code WYCPS_CANDIDATES}, i.e. on every search: latency and jitter delay it,
 * {@code hang} blocks it for {@link #HANG_MS}, {@code error} and the error rate fail it
 * (SQLState HY000), {@code reset} fails it as a lost connection (08006), {@code malformed} and
 * {@code wrong-content-type}, which have no SQL equivalent, fail it as a data error (22018),
 * and {@code drip} delays every returned row by 20 ms. Enquiry and checkpoint writes are not
 * faulted.
 */
public final class SqlRegister {

    /** A SQL register is materialised row by row: past this size it is not offered (benchmarks use HTTP). */
    static final int MAX_CHILDREN = SyntheticPopulation.MATERIALISE_LIMIT;
    static final long HANG_MS = 60_000;
    static final String READER = "register_reader";
    static final String READER_PASSWORD = "reader-demo-only";
    static final String NOTIFIER = "register_notifier";
    static final String NOTIFIER_PASSWORD = "notifier-demo-only";

    private static final Map<String, MockRegister> BY_DATABASE = new ConcurrentHashMap<>();

    private final MockRegister register;
    private final String database;
    private final Connection admin;
    private final String host;
    private volatile int port;
    private Server server;

    private SqlRegister(MockRegister register, String database, Connection admin, String host, int port) {
        this.register = register;
        this.database = database;
        this.admin = admin;
        this.host = host;
        this.port = port;
    }

    /** Blocking: creates and fills the database. */
    static SqlRegister create(MockRegister register, String host, int port) {
        String database = "wycps_" + register.authority() + "_" + UUID.randomUUID().toString().replace("-", "");
        try {
            Connection admin = DriverManager.getConnection("jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1", "sa", "");
            SqlRegister sql = new SqlRegister(register, database, admin, host, port);
            sql.schema();
            sql.fill(register.records());
            BY_DATABASE.put(database.toUpperCase(java.util.Locale.ROOT), register);
            return sql;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not build the SQL register of " + register.authority(), e);
        }
    }

    private void schema() throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute("""
                    CREATE TABLE child (
                      record_id VARCHAR(16) PRIMARY KEY, given_name VARCHAR(200), family_name VARCHAR(200),
                      aliases JSON, date_of_birth DATE, gender CHAR(1), languages JSON,
                      addr_line1 VARCHAR(200), addr_town VARCHAR(100), addr_postcode VARCHAR(10), addr_la VARCHAR(40),
                      address_history JSON, legal_status VARCHAR(100), concern_categories JSON,
                      reg_status VARCHAR(10), reg_category CHAR(1), reg_start DATE, reg_end DATE,
                      registration_history JSON, meetings JSON, referrals JSON, relationships JSON,
                      looked_after BOOLEAN, ethnicity VARCHAR(200), health_notes VARCHAR(2000), concern_details VARCHAR(2000),
                      shielded BOOLEAN NOT NULL)""");
            s.execute("""
                    CREATE TABLE enquiry_history (
                      seq BIGINT GENERATED ALWAYS AS IDENTITY, entry_id VARCHAR(128) PRIMARY KEY,
                      record_id VARCHAR(16) NOT NULL REFERENCES child(record_id), enquiry_id VARCHAR(128),
                      at VARCHAR(40), subject VARCHAR(200), role VARCHAR(60), agency VARCHAR(60), authority VARCHAR(60),
                      purpose VARCHAR(60), consent_basis VARCHAR(200))""");
            s.execute("""
                    CREATE TABLE audit_checkpoint (idx BIGINT PRIMARY KEY, head VARCHAR(200) NOT NULL, at VARCHAR(40),
                      key_id VARCHAR(200), signature VARCHAR(2000) NOT NULL)""");
            s.execute("""
                    CREATE VIEW child_view AS SELECT c.*, (SELECT JSON_ARRAYAGG(JSON_OBJECT(
                        'entryId': e.entry_id, 'enquiryId': e.enquiry_id, 'at': e.at, 'subject': e.subject, 'role': e.role,
                        'agency': e.agency, 'authority': e.authority, 'purpose': e.purpose, 'consentBasis': e.consent_basis
                        ABSENT ON NULL) ORDER BY e.seq) FROM enquiry_history e WHERE e.record_id = c.record_id) AS enquiry_history
                      FROM child c""");
            s.execute("CREATE ALIAS WYCPS_CANDIDATES FOR \"" + SqlRegister.class.getName() + ".candidates\"");
            s.execute("CREATE ALIAS WYCPS_STATISTICS FOR \"" + SqlRegister.class.getName() + ".statistics\"");
            s.execute("CREATE USER " + READER + " PASSWORD '" + READER_PASSWORD + "'");
            s.execute("GRANT SELECT ON child_view TO " + READER);
            s.execute("CREATE USER " + NOTIFIER + " PASSWORD '" + NOTIFIER_PASSWORD + "'");
            s.execute("GRANT SELECT, INSERT ON enquiry_history TO " + NOTIFIER);
            s.execute("GRANT SELECT, INSERT ON audit_checkpoint TO " + NOTIFIER);
        }
    }

    private void fill(List<ChildRecord> records) throws SQLException, JsonProcessingException {
        var json = RecordJson.mapper();
        try (PreparedStatement ps = admin.prepareStatement("INSERT INTO child VALUES (?, ?, ?, ? FORMAT JSON, ?, ?, ? FORMAT JSON, "
                + "?, ?, ?, ?, ? FORMAT JSON, ?, ? FORMAT JSON, ?, ?, ?, ?, ? FORMAT JSON, ? FORMAT JSON, ? FORMAT JSON, "
                + "? FORMAT JSON, ?, ?, ?, ?, ?)")) {
            int batch = 0;
            for (ChildRecord r : records) {
                int i = 1;
                ps.setString(i++, r.recordId());
                ps.setString(i++, r.givenName());
                ps.setString(i++, r.familyName());
                ps.setString(i++, r.aliases() == null ? null : json.writeValueAsString(r.aliases()));
                ps.setObject(i++, r.dateOfBirth());
                ps.setString(i++, r.gender() == null ? null : switch (r.gender()) {
                    case FEMALE -> "F";
                    case MALE -> "M";
                    case UNKNOWN -> "U";
                });
                ps.setString(i++, r.languages() == null ? null : json.writeValueAsString(r.languages()));
                ps.setString(i++, r.address() == null ? null : r.address().line1());
                ps.setString(i++, r.address() == null ? null : r.address().town());
                ps.setString(i++, r.address() == null ? null : r.address().postcode());
                ps.setString(i++, r.address() == null ? null : r.address().authority());
                ps.setString(i++, r.addressHistory() == null ? null : json.writeValueAsString(r.addressHistory()));
                ps.setString(i++, r.legalStatus());
                ps.setString(i++, r.concernCategories() == null ? null : json.writeValueAsString(r.concernCategories()));
                Registration g = r.registration();
                ps.setString(i++, g == null || g.status() == null ? null : Registration.ACTIVE.equals(g.status()) ? "CURRENT" : "ENDED");
                ps.setString(i++, g == null || g.category() == null ? null : category(g.category()));
                ps.setObject(i++, g == null ? null : g.start());
                ps.setObject(i++, g == null ? null : g.end());
                ps.setString(i++, r.registrationHistory() == null ? null : json.writeValueAsString(r.registrationHistory()));
                ps.setString(i++, r.meetings() == null ? null : json.writeValueAsString(r.meetings()));
                ps.setString(i++, r.referrals() == null ? null : json.writeValueAsString(r.referrals()));
                ps.setString(i++, r.relationships() == null ? null : json.writeValueAsString(r.relationships()));
                if (r.lookedAfterIndicator() == null) {
                    ps.setNull(i++, Types.BOOLEAN);
                } else {
                    ps.setBoolean(i++, r.lookedAfterIndicator());
                }
                ps.setString(i++, r.ethnicity());
                ps.setString(i++, r.healthNotes());
                ps.setString(i++, r.concernDetails());
                ps.setBoolean(i++, r.shieldedByOwner());
                ps.addBatch();
                if (++batch % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private static String category(ConcernCategory c) {
        return switch (c) {
            case NEGLECT -> "N";
            case PHYSICAL_ABUSE -> "P";
            case EMOTIONAL_ABUSE -> "E";
            case SEXUAL_ABUSE -> "S";
        };
    }

    /** Starts (or restarts, on the same port) H2's TCP server. */
    synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            server = Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifExists").start();
            port = server.getPort();
        } catch (SQLException e) {
            throw new IllegalStateException("the SQL register of " + register.authority() + " could not listen on port " + port, e);
        }
    }

    synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    int port() {
        return port;
    }

    /** Where a gateway connects: {@code jdbc:h2:tcp://host:port/mem:db}. */
    String jdbcUrl() {
        return "jdbc:h2:tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/mem:" + database;
    }

    /** The enquiry history of a record, in arrival order. */
    List<EnquiryHistoryEntry> enquiryHistory(String recordId) {
        List<EnquiryHistoryEntry> out = new ArrayList<>();
        synchronized (admin) {
            try (PreparedStatement ps = admin.prepareStatement("SELECT entry_id, enquiry_id, at, subject, role, agency, authority, "
                    + "purpose, consent_basis FROM enquiry_history WHERE record_id = ? ORDER BY seq")) {
                ps.setString(1, recordId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String at = rs.getString(3);
                        out.add(new EnquiryHistoryEntry(rs.getString(1), rs.getString(2), at == null ? null : Instant.parse(at),
                                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("could not read the enquiry history", e);
            }
        }
        return out;
    }

    /** Stores an entry unless its id is held; true when stored. */
    boolean addEnquiry(String recordId, EnquiryHistoryEntry e) {
        synchronized (admin) {
            try (PreparedStatement ps = admin.prepareStatement("INSERT INTO enquiry_history (entry_id, record_id, enquiry_id, at, "
                    + "subject, role, agency, authority, purpose, consent_basis) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, e.entryId());
                ps.setString(2, recordId);
                ps.setString(3, e.enquiryId());
                ps.setString(4, e.at() == null ? null : e.at().toString());
                ps.setString(5, e.subject());
                ps.setString(6, e.role());
                ps.setString(7, e.agency());
                ps.setString(8, e.authority());
                ps.setString(9, e.purpose());
                ps.setString(10, e.consentBasis());
                ps.executeUpdate();
                return true;
            } catch (SQLException ex) {
                if ("23505".equals(ex.getSQLState())) {
                    return false;
                }
                throw new IllegalStateException("could not store the entry", ex);
            }
        }
    }

    List<AuditCheckpoint> auditCheckpoints() {
        List<AuditCheckpoint> out = new ArrayList<>();
        synchronized (admin) {
            try (Statement s = admin.createStatement();
                 ResultSet rs = s.executeQuery("SELECT idx, head, at, key_id, signature FROM audit_checkpoint ORDER BY idx")) {
                while (rs.next()) {
                    out.add(new AuditCheckpoint(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("could not read the checkpoints", e);
            }
        }
        return out;
    }

    /** As {@link MockRegister#addCheckpoint}: true when new, false when held, ISE when another is held. */
    boolean addCheckpoint(AuditCheckpoint c) {
        for (AuditCheckpoint held : auditCheckpoints()) {
            if (held.index() == c.index()) {
                if (!held.equals(c)) {
                    throw new IllegalStateException("a different checkpoint is kept for this index");
                }
                return false;
            }
        }
        synchronized (admin) {
            try (PreparedStatement ps = admin.prepareStatement("INSERT INTO audit_checkpoint VALUES (?, ?, ?, ?, ?)")) {
                ps.setLong(1, c.index());
                ps.setString(2, c.head());
                ps.setString(3, c.at());
                ps.setString(4, c.keyId());
                ps.setString(5, c.signature());
                ps.executeUpdate();
                return true;
            } catch (SQLException e) {
                throw new IllegalStateException("a different checkpoint is kept for this index", e);
            }
        }
    }

    /** For tests: a digest of every table's content, to show a search changed nothing. */
    String contentDigest() {
        synchronized (admin) {
            try (Statement s = admin.createStatement()) {
                java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
                for (String q : List.of("SELECT * FROM child ORDER BY record_id", "SELECT * FROM enquiry_history ORDER BY seq",
                        "SELECT * FROM audit_checkpoint ORDER BY idx", "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES")) {
                    try (ResultSet rs = s.executeQuery(q)) {
                        int n = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            for (int c = 1; c <= n; c++) {
                                md.update(String.valueOf(rs.getString(c)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                                md.update((byte) 0);
                            }
                        }
                    }
                }
                return java.util.HexFormat.of().formatHex(md.digest());
            } catch (SQLException | java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("could not digest the tables", e);
            }
        }
    }

    void close() {
        stop();
        BY_DATABASE.remove(database.toUpperCase(java.util.Locale.ROOT));
        try (Statement s = admin.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException ignored) {
            // Gone already.
        }
    }

    // ---- the table functions ------------------------------------------------------------------

    /**
     * {@code WYCPS_STATISTICS(asOf)}: the register's own aggregate counts (S1) as rows of
     * (table, row, count): computed inside the register, as a stored procedure would.
     */
    public static ResultSet statistics(Connection conn, LocalDate asOf) throws SQLException {
        SimpleResultSet rs = new SimpleResultSet();
        rs.addColumn("TABLE_NAME", Types.VARCHAR, 64, 0);
        rs.addColumn("ROW_KEY", Types.VARCHAR, 64, 0);
        rs.addColumn("CNT", Types.BIGINT, 19, 0);
        if ("jdbc:columnlist:connection".equals(conn.getMetaData().getURL()) || asOf == null) {
            return rs;
        }
        String db;
        try (Statement s = conn.createStatement(); ResultSet r = s.executeQuery("SELECT DATABASE()")) {
            r.next();
            db = r.getString(1);
        }
        MockRegister register = BY_DATABASE.get(db.toUpperCase(java.util.Locale.ROOT));
        if (register == null) {
            return rs;
        }
        register.statistics(asOf).tables().forEach((table, rows) ->
                rows.forEach((row, count) -> rs.addRow(table, row, count)));
        return rs;
    }

    /**
     * {@code WYCPS_CANDIDATES(family, given, dob, gender, postcode)}: the record ids of the
     * register's candidates, ranked. Called by H2 for every search; where faults act.
     */
    public static ResultSet candidates(Connection conn, String family, String given, LocalDate dob, String gender,
                                       String postcode) throws SQLException {
        SimpleResultSet rs = new SimpleResultSet();
        rs.addColumn("RECORD_ID", Types.VARCHAR, 16, 0);
        rs.addColumn("RANK", Types.INTEGER, 10, 0);
        if ("jdbc:columnlist:connection".equals(conn.getMetaData().getURL())) {
            return rs;
        }
        String db;
        try (Statement s = conn.createStatement(); ResultSet r = s.executeQuery("SELECT DATABASE()")) {
            r.next();
            db = r.getString(1);
        }
        MockRegister register = BY_DATABASE.get(db.toUpperCase(java.util.Locale.ROOT));
        if (register == null || family == null || family.isBlank()) {
            return rs;
        }
        FaultSettings f = register.faults();
        long delay = f.latencyMs() + (f.jitterMs() > 0 ? ThreadLocalRandom.current().nextLong(f.jitterMs() + 1) : 0);
        sleep(delay);
        if (f.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < f.errorRate()) {
            throw new SQLException("error injected by the mock register", "HY000");
        }
        switch (f.mode()) {
            case HANG -> sleep(HANG_MS);
            case ERROR -> throw new SQLException("error injected by the mock register", "HY000");
            case RESET -> throw new SQLNonTransientConnectionException("connection reset injected by the mock register", "08006");
            case MALFORMED, WRONG_CONTENT_TYPE -> throw new SQLException("data error injected by the mock register", "22018");
            default -> {
            }
        }
        Gender g = switch (gender == null ? "" : gender) {
            case "F" -> Gender.FEMALE;
            case "M" -> Gender.MALE;
            case "U" -> Gender.UNKNOWN;
            default -> null;
        };
        List<ChildRecord> found = register.search(new SearchCriteria(given, family, null, null, dob, g, postcode));
        int rank = 0;
        for (ChildRecord r : found) {
            if (f.mode() == FaultMode.DRIP) {
                sleep(RegisterVerticle.DRIP_INTERVAL_MS);
            }
            rs.addRow(r.recordId(), rank++);
        }
        return rs;
    }

    private static void sleep(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
