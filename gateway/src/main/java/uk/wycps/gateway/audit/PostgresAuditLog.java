package uk.wycps.gateway.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import uk.wycps.connector.AuditCheckpoint;

/**
 * The command-line side of the PostgreSQL audit ({@code verify-audit --postgres},
 * {@code purge-audit --postgres}), over a blocking JDBC connection. The chain in the database
 * is the file log's chain with one row per line, so verification is {@link AuditVerifier}'s,
 * fed the rows in {@code seq} order; and retention is {@link AuditPurge}'s rule: the expired
 * entries found without a lock, then emptied in one transaction that holds the chain's head, so
 * it may run while the gateways serve.
 */
public final class PostgresAuditLog {

    private static final int FETCH = 1_000;

    private PostgresAuditLog() {
    }

    /** Verifies the whole chain (every node's entries) with {@code keys} and the registers' {@code witnesses}. */
    public static AuditVerifier.Result verify(Connection db, AuditKeys.Verifier keys, List<AuditCheckpoint> witnesses)
            throws SQLException {
        return inSnapshot(db, s -> {
            long headSeq;
            String headHash;
            try (ResultSet head = s.executeQuery("SELECT seq, hash FROM audit_head WHERE id = 1")) {
                head.next();
                headSeq = head.getLong(1);
                headHash = head.getString(2);
            }
            try (ResultSet rs = s.executeQuery("SELECT seq, prev, hash, digest, entry FROM audit_entry ORDER BY seq")) {
                Tail last = new Tail();
                AuditVerifier.Result result = new AuditVerifier(keys, witnesses).verify(lines(rs, last));
                // The chain checks each row against the one before it, so rows removed or
                // rewritten at its end leave a shorter chain that is whole: the head, kept by
                // every append, says where it ends (H2).
                if (result.intact() && (last.seq != headSeq || !headHash.equals(last.hash))) {
                    return new AuditVerifier.Result(false, 0, 0, 0, last.seq + 1, "the log ends at entry "
                            + last.seq + " but its head, kept by every append, is entry " + headSeq
                            + " with another hash: entries removed or rewritten at its end");
                }
                return result;
            }
        });
    }

    /** Each register's signed answers in the log checked against its key ({@link SignedAnswers}), even when the chain is broken. */
    public static Map<String, SignedAnswers.Tally> signedAnswers(Connection db, Map<String, java.security.PublicKey> keys)
            throws SQLException {
        return inSnapshot(db, s -> {
            Map<String, SignedAnswers.Tally> tallies = new java.util.TreeMap<>();
            try (ResultSet rs = s.executeQuery("SELECT entry FROM audit_entry WHERE entry IS NOT NULL ORDER BY seq")) {
                while (rs.next()) {
                    SignedAnswers.tally(rs.getString(1), keys, tallies);
                }
            }
            return tallies;
        });
    }

    /** A read of the log: statements on one connection, in one snapshot. */
    private interface Read<T> {
        T run(Statement s) throws SQLException;
    }

    /**
     * Runs {@code read} in one read-only snapshot (REPEATABLE READ: nodes appending meanwhile
     * change nothing it sees), fetching rows {@link #FETCH} at a time: a cursor, not the whole log
     * in memory, which needs a transaction in PostgreSQL's driver. The connection's settings are
     * given back after.
     */
    private static <T> T inSnapshot(Connection db, Read<T> read) throws SQLException {
        boolean autoCommit = db.getAutoCommit();
        int isolation = db.getTransactionIsolation();
        db.setAutoCommit(false);
        db.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (Statement s = db.createStatement()) {
            s.setFetchSize(FETCH);
            T result = read.run(s);
            db.commit();
            return result;
        } catch (RuntimeException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw e;
        } finally {
            db.setAutoCommit(autoCommit);
            db.setTransactionIsolation(isolation);
        }
    }

    /** The last row a read of the chain went past. */
    private static final class Tail {
        long seq;
        String hash = HashChain.GENESIS;
    }

    /**
     * Each row as the file log's line, so that the file's verifier checks it byte for byte;
     * {@code last} keeps the last row's sequence number and hash.
     */
    private static Iterator<String> lines(ResultSet rs, Tail last) {
        return new Iterator<>() {
            private String next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        if (rs.next()) {
                            long seq = rs.getLong(1);
                            String entry = rs.getString(5);
                            last.seq = seq;
                            last.hash = rs.getString(3);
                            next = entry == null
                                    ? HashChain.purgedLine(seq, rs.getString(2), rs.getString(3), rs.getString(4))
                                    : HashChain.line(seq, rs.getString(2), rs.getString(3), rs.getString(4), entry);
                        }
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return next != null;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String line = next;
                next = null;
                return line;
            }
        };
    }

    /**
     * Empties the enquiry entries past retention and appends a purge marker signed with
     * {@code signer}. The expired entries are found first, without the chain's head, however
     * long that takes over a large log; only emptying them and appending the marker hold the
     * head (nodes' appends wait for that, briefly). Returns how many entries were emptied.
     */
    public static long purge(Connection db, AuditPurge rule, int shortestRetentionDays, AuditKeys.Signer signer,
            Instant now) throws SQLException {
        boolean autoCommit = db.getAutoCommit();
        db.setAutoCommit(false);
        try {
            List<Long> expired = expired(db, rule, shortestRetentionDays, now);
            db.commit();
            return expired.isEmpty() ? 0 : empty(db, expired, signer, now);
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(autoCommit);
        }
    }

    /**
     * The entries past retention, in {@code seq} order: read in the caller's transaction (a
     * cursor needs one) and holding no lock, so that the nodes append meanwhile. An entry never
     * changes once written but to be emptied, and one appended meanwhile is not yet expired.
     */
    static List<Long> expired(Connection db, AuditPurge rule, int shortestRetentionDays, Instant now)
            throws SQLException {
        List<Long> expired = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT seq, entry FROM audit_entry WHERE kind = 'enquiry'"
                + " AND entry IS NOT NULL AND at < ? ORDER BY seq")) {
            ps.setFetchSize(FETCH);
            ps.setObject(1, java.time.OffsetDateTime.ofInstant(now.minus(Duration.ofDays(shortestRetentionDays)),
                    java.time.ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rule.expired(rs.getString(2), now)) {
                        expired.add(rs.getLong(1));
                    }
                }
            }
        }
        return expired;
    }

    /**
     * Empties {@code expired} and appends the marker naming what was emptied, in one transaction
     * that holds the chain's head. Entries another purge emptied since they were found are left
     * out of the marker (each range is named once); none left, nothing is appended.
     */
    static long empty(Connection db, List<Long> expired, AuditKeys.Signer signer, Instant now) throws SQLException {
        boolean autoCommit = db.getAutoCommit();
        db.setAutoCommit(false);
        try {
            long headSeq;
            String headHash;
            long since;
            try (Statement s = db.createStatement();
                    ResultSet rs = s.executeQuery(PostgresAuditSink.LOCK_HEAD)) {
                rs.next();
                headSeq = rs.getLong(1);
                headHash = rs.getString(2);
                since = rs.getLong(3);
            }
            List<Long> purged = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement("UPDATE audit_entry SET entry = NULL WHERE seq = ANY (?)"
                    + " AND entry IS NOT NULL RETURNING seq")) {
                ps.setArray(1, db.createArrayOf("bigint", expired.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        purged.add(rs.getLong(1));
                    }
                }
            }
            if (purged.isEmpty()) {
                db.rollback();
                return 0;
            }
            java.util.Collections.sort(purged);
            String marker = Checkpoints.purgeEntry(signer, AuditVerifier.formatRanges(purged), now, purged.size());
            String digest = HashChain.digest(marker);
            long seq = headSeq + 1;
            String hash = HashChain.hash(seq, headHash, digest);
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO audit_entry (seq, prev, hash, digest, kind,"
                    + " entry, node) VALUES (?, ?, ?, ?, 'purge', ?, 'purge-audit')")) {
                ps.setLong(1, seq);
                ps.setString(2, headHash);
                ps.setString(3, hash);
                ps.setString(4, digest);
                ps.setString(5, marker);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = db.prepareStatement(PostgresAuditSink.UPDATE_HEAD.replace("$1", "?")
                    .replace("$2", "?").replace("$3", "?"))) {
                ps.setLong(1, seq);
                ps.setString(2, hash);
                ps.setLong(3, since);
                ps.executeUpdate();
            }
            db.commit();
            return purged.size();
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(autoCommit);
        }
    }
}
