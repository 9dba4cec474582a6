package uk.wycps.mock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.record.SearchCriteria;
import uk.wycps.connector.AuditCheckpoint;
import java.time.LocalDate;
import uk.wycps.connector.statistics.RegisterAggregator;
import uk.wycps.connector.statistics.RegisterStatistics;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.Registration;
import uk.wycps.record.EnquiryHistoryEntry;

/**
 * One mock register: its records, its enquiry history, its faults and its HTTP server. The
 * enquiry history and the faults outlive {@link #stop()}, so a register can be stopped and
 * {@link #restart() restarted} on the same port as a real outage would look.
 */
public final class MockRegister {

    /** A SQL register's H2 TCP port is its HTTP port plus this (leeds: 9104 and 9114). */
    public static final int SQL_PORT_OFFSET = 10;

    private static final Logger LOG = LoggerFactory.getLogger(MockRegister.class);

    private final Vertx vertx;
    private final String authority;
    private final String dialect;
    private final String host;
    private final SyntheticPopulation population;
    private final AtomicReference<FaultSettings> faults;
    private final Map<String, Map<String, EnquiryHistoryEntry>> enquiries = new ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentSkipListMap<Long, AuditCheckpoint> checkpoints =
            new java.util.concurrent.ConcurrentSkipListMap<>();
    private final java.util.concurrent.atomic.AtomicLong enquiryDeliveries = new java.util.concurrent.atomic.AtomicLong();
    /** Valid enquiry-history deliveries per entry id, repeats included: what "exactly once" is checked on. */
    private final Map<String, Integer> deliveriesByEntry = new ConcurrentHashMap<>();
    private volatile CandidateIndex index;
    private volatile SqlRegister sql;
    private volatile int port;
    private volatile String deploymentId;
    private Future<Void> stopping = Future.succeededFuture();

    MockRegister(Vertx vertx, String authority, String dialect, String host, int port, SyntheticPopulation population,
                 FaultSettings initialFaults) {
        this.vertx = vertx;
        this.authority = authority;
        boolean tooLargeForSql = MockDialects.SQL.equals(dialect) && population.childrenPerRegister() > SqlRegister.MAX_CHILDREN;
        if (tooLargeForSql) {
            LOG.warn("register {}: {} children are too many for the SQL mock; serving canonical-json",
                    authority, population.childrenPerRegister());
        }
        this.dialect = tooLargeForSql ? MockDialects.CANONICAL_JSON : dialect;
        this.host = host;
        this.port = port;
        this.population = population;
        this.faults = new AtomicReference<>(initialFaults);
    }

    /** Blocking: generates (when small) and indexes the register's records. */
    void load() {
        long t0 = System.nanoTime();
        population.records(authority);
        index = CandidateIndex.build(population, authority);
        if (MockDialects.SQL.equals(dialect)) {
            sql = SqlRegister.create(this, host, port == 0 ? 0 : port + SQL_PORT_OFFSET);
        }
        LOG.info("register {}: {} records indexed in {} ms", authority, population.childrenPerRegister(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** Deploys the server; completes once it listens. */
    synchronized Future<Void> start() {
        if (deploymentId != null) {
            return Future.succeededFuture();
        }
        RegisterVerticle verticle = new RegisterVerticle(this, host, port);
        return stopping.transform(ignored -> {
            if (sql != null) {
                sql.start();
            }
            return vertx.deployVerticle(verticle);
        }).map(id -> {
            synchronized (this) {
                deploymentId = id;
                port = verticle.actualPort();
            }
            LOG.info("register {} listening on port {}", authority, port);
            return null;
        });
    }

    public String authority() {
        return authority;
    }

    /** The dialect this register speaks ({@link MockDialects}). */
    public String dialect() {
        return dialect;
    }

    /**
     * What a gateway needs to reach this register: its authority, dialect, base URL and the
     * dialect's options (the mapping file for a configurable dialect), with default limits.
     */
    public RegisterSettings connectorSettings() {
        URI where = sql != null ? URI.create(sql.jdbcUrl()) : baseUrl();
        RegisterSettings defaults = RegisterSettings.of(authority, dialect, where);
        return new RegisterSettings(authority, dialect, where, defaults.deadline(), defaults.maxConnections(),
                defaults.maxWaitQueue(), defaults.maxResponseBytes(), MockDialects.connectorOptions(dialect));
    }

    /** The SQL register's JDBC URL (its H2 TCP port is the HTTP port + 10), when it speaks {@code sql-jdbc}. */
    public Optional<String> jdbcUrl() {
        return sql == null ? Optional.empty() : Optional.of(sql.jdbcUrl());
    }

    /** For tests: a digest of the SQL register's tables. */
    String sqlContentDigest() {
        return sql.contentDigest();
    }

    /** The bound port (the ephemeral one when started with port 0). */
    public int port() {
        return port;
    }

    /** Where the register answers, e.g. {@code http://127.0.0.1:9101}. */
    public URI baseUrl() {
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
    }

    /** True while the server is deployed. */
    public boolean running() {
        return deploymentId != null;
    }

    /** Undeploys the server: connections are refused until {@link #restart()}. */
    public synchronized Future<Void> stop() {
        String id = deploymentId;
        if (id == null) {
            return Future.succeededFuture();
        }
        deploymentId = null;
        LOG.info("register {} stopping", authority);
        if (sql != null) {
            sql.stop();
        }
        stopping = vertx.undeploy(id);
        return stopping;
    }

    /** Releases what outlives {@link #stop()}: the SQL register's in-memory database. */
    void dispose() {
        if (sql != null) {
            sql.close();
        }
    }

    /** Starts the server again on the same port, with the same records and enquiry history. */
    public Future<Void> restart() {
        return start();
    }

    public void setFaults(FaultSettings settings) {
        faults.set(Objects.requireNonNull(settings, "settings"));
    }

    public FaultSettings faults() {
        return faults.get();
    }

    public void clearFaults() {
        faults.set(FaultSettings.NONE);
    }

    /** The register's records as generated, in slot order, without the enquiry history received since. */
    /**
     * This register's statistics as of {@code asOf} (S1), computed here, inside the authority's
     * side: the gateway receives counts only. A child counts as a cross-boundary move when the
     * register knows of an earlier registration of the same child in another authority (in the
     * synthetic world, from its transfer-in history, which the ground truth holds).
     */
    public RegisterStatistics statistics(LocalDate asOf) {
        return RegisterAggregator.aggregate(records(), asOf, this::previouslyRegisteredElsewhere);
    }

    /** Whether another authority registered this child before this register first did. */
    public boolean previouslyRegisteredElsewhere(ChildRecord child) {
        LocalDate first = firstRegistration(child);
        for (GroundTruth.RecordRef ref : population.groundTruth().personOf(authority, child.recordId()).records()) {
            if (ref.authority().equals(authority)) {
                continue;
            }
            ChildRecord other = population.record(ref.authority(), population.slotOf(ref.authority(), ref.recordId()));
            LocalDate theirs = firstRegistration(other);
            if (theirs != null && (first == null || theirs.isBefore(first))) {
                return true;
            }
        }
        return false;
    }

    private static LocalDate firstRegistration(ChildRecord child) {
        LocalDate first = null;
        List<Registration> all = new java.util.ArrayList<>();
        if (child.registrationHistory() != null) {
            all.addAll(child.registrationHistory());
        }
        if (child.registration() != null) {
            all.add(child.registration());
        }
        for (Registration r : all) {
            if (r.start() != null && (first == null || r.start().isBefore(first))) {
                first = r.start();
            }
        }
        return first;
    }

    public List<ChildRecord> records() {
        return population.records(authority);
    }

    /** The record as served (with its enquiry history), if the register holds it. */
    public Optional<ChildRecord> record(String recordId) {
        int slot = population.slotOf(authority, recordId);
        return slot < 0 ? Optional.empty() : Optional.of(served(slot));
    }

    /** The gateway's audit checkpoints this register keeps (H2), by index. */
    public List<AuditCheckpoint> auditCheckpoints() {
        if (sql != null) {
            return sql.auditCheckpoints();
        }
        return List.copyOf(checkpoints.values());
    }

    /**
     * Keeps a checkpoint: true when new, false when the same one was already kept; a different
     * checkpoint for a kept index is refused ({@link IllegalStateException}): the first is evidence.
     */
    boolean addCheckpoint(AuditCheckpoint checkpoint) {
        if (sql != null) {
            return sql.addCheckpoint(checkpoint);
        }
        AuditCheckpoint kept = checkpoints.putIfAbsent(checkpoint.index(), checkpoint);
        if (kept == null) {
            return true;
        }
        if (!kept.equals(checkpoint)) {
            throw new IllegalStateException("a different checkpoint is kept for this index");
        }
        return false;
    }

    /** How many enquiry-history deliveries arrived, repeats included. */
    public long enquiryDeliveries() {
        return enquiryDeliveries.get();
    }

    void countEnquiryDelivery() {
        enquiryDeliveries.incrementAndGet();
    }

    /**
     * How many times an enquiry-history entry with this id arrived over HTTP (valid, for a record
     * held here), repeats included: the register keeps it once ({@link #enquiryHistory}), so only
     * this tells whether a gateway sent it more than once. The SQL dialect's entries are written
     * into its database by the gateway and not counted here.
     */
    public int enquiryDeliveries(String entryId) {
        return deliveriesByEntry.getOrDefault(entryId, 0);
    }

    /** The enquiry-history entries received for a record, in arrival order. */
    public List<EnquiryHistoryEntry> enquiryHistory(String recordId) {
        if (sql != null) {
            return sql.enquiryHistory(recordId);
        }
        Map<String, EnquiryHistoryEntry> entries = enquiries.get(recordId);
        if (entries == null) {
            return List.of();
        }
        synchronized (entries) {
            return List.copyOf(entries.values());
        }
    }

    // ---- used by the verticle -----------------------------------------------------------------

    CandidateIndex index() {
        return index;
    }

    SyntheticPopulation population() {
        return population;
    }

    /** The candidates of a search, as served, at most {@link CandidateIndex#MAX_CANDIDATES}. */
    List<ChildRecord> search(SearchCriteria criteria) {
        int[] slots = index.candidates(criteria);
        List<ChildRecord> found = new ArrayList<>(slots.length);
        for (int s : slots) {
            found.add(served(s));
        }
        return found;
    }

    boolean holds(String recordId) {
        return population.slotOf(authority, recordId) >= 0;
    }

    /** Stores an entry unless one with its id is already there; true when stored. */
    boolean addEnquiry(String recordId, EnquiryHistoryEntry entry) {
        if (historyFrozen) {
            return true;
        }
        deliveriesByEntry.merge(entry.entryId(), 1, Integer::sum);
        if (sql != null) {
            return sql.addEnquiry(recordId, entry);
        }
        Map<String, EnquiryHistoryEntry> entries = enquiries.computeIfAbsent(recordId,
                k -> Collections.synchronizedMap(new LinkedHashMap<>()));
        return entries.putIfAbsent(entry.entryId(), entry) == null;
    }

    /**
     * The most recent enquiry-history entries a search answer carries per record. A register keeps
     * every entry, but an answer that grew with each enquiry would, for a child enquired about
     * often, pass the gateway's size limit and leave that register unchecked (F5).
     */
    public static final int SERVED_ENQUIRY_HISTORY = 20;

    private volatile boolean historyFrozen;

    /**
     * For benchmarks: gives every record {@code entriesPerRecord} synthetic enquiry-history
     * entries and from then on acknowledges deliveries (counted) without storing them, so that
     * every system measured sees the same answers however many enquiries went before.
     */
    public void freezeEnquiryHistory(int entriesPerRecord) {
        if (sql != null) {
            throw new UnsupportedOperationException("the SQL register keeps its history in its database");
        }
        enquiries.clear();
        Instant start = Instant.parse("2026-01-05T09:00:00Z");
        for (ChildRecord r : records()) {
            for (int i = 0; i < entriesPerRecord; i++) {
                String id = r.recordId() + "-seed-" + i;
                addEnquiry(r.recordId(), new EnquiryHistoryEntry(id, "enquiry-" + id, start.plusSeconds(86_400L * 7 * i),
                        "seed-practitioner-" + i, "child-worker", "social-services", "leeds", "register-check",
                        "not-sought:authorised-register-check"));
            }
        }
        historyFrozen = true;
    }

    private ChildRecord served(int slot) {
        ChildRecord r = population.record(authority, slot);
        List<EnquiryHistoryEntry> history = enquiryHistory(r.recordId());
        if (history.size() > SERVED_ENQUIRY_HISTORY) {
            history = history.subList(history.size() - SERVED_ENQUIRY_HISTORY, history.size());
        }
        return new ChildRecord(r.recordId(), r.givenName(), r.familyName(), r.aliases(), r.dateOfBirth(), r.gender(),
                r.languages(), r.address(), r.addressHistory(), r.legalStatus(), r.concernCategories(),
                r.registration(), r.registrationHistory(), r.meetings(), history, r.referrals(), r.relationships(),
                r.lookedAfterIndicator(), r.ethnicity(), r.healthNotes(), r.concernDetails(), r.shielded());
    }
}
