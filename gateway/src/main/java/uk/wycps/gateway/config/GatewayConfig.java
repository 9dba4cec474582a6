package uk.wycps.gateway.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import uk.wycps.connector.RegisterSettings;

/**
 * The gateway's validated configuration (O2), parsed once at start-up by {@link ConfigLoader}.
 */
public record GatewayConfig(Http http, Auth auth, List<RegisterSettings> registers, Audit audit, Path policyFile,
        Statistics statistics) {

    public GatewayConfig {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(statistics, "statistics");
        registers = List.copyOf(registers);
    }

    /** A configuration with the default statistics settings. */
    public GatewayConfig(Http http, Auth auth, List<RegisterSettings> registers, Audit audit, Path policyFile) {
        this(http, auth, registers, audit, policyFile, Statistics.DEFAULTS);
    }

    /** Small-number suppression for statistics (S1): counts below {@code threshold} are not shown. */
    public record Statistics(int suppressionThreshold) {
        public static final Statistics DEFAULTS = new Statistics(5);
    }

    /** Where and how the API listens. */
    public record Http(String host, int port, int maxBodyBytes, int idleTimeoutSeconds) {
        public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024;
        public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 30;
    }

    /** Token checks (A1): the trusted issuer, the audience, and the issuer's public keys. */
    public record Auth(String issuer, String audience, List<VerificationKey> keys, int leewaySeconds) {
        public static final String DEFAULT_AUDIENCE = "wycps-gateway";

        public Auth {
            keys = List.copyOf(keys);
        }
    }

    /** One public key: {@code ES256} or {@code RS256}, PEM text. */
    public record VerificationKey(String algorithm, String pem) {
    }

    /**
     * Where the audit log and the outbox to the registers live; the gateway's audit signing key
     * (made in the directory on first start when not configured); how often a signed checkpoint
     * is written; and each authority's retention in days (H4).
     */
    public record Audit(Path directory, Path signingKeyFile, Path verificationKeyFile, int checkpointEvery,
            Map<String, Integer> retentionDays, int defaultRetentionDays, Postgres postgres) {

        /** Retention when an authority sets none: 7 years. */
        public static final int DEFAULT_RETENTION_DAYS = 7 * 365;

        public Audit {
            retentionDays = Map.copyOf(retentionDays);
            if (directory == null && postgres == null) {
                throw new IllegalArgumentException("an audit directory or audit.postgres is needed");
            }
        }

        /** The file audit (no PostgreSQL). */
        public Audit(Path directory, Path signingKeyFile, Path verificationKeyFile, int checkpointEvery,
                Map<String, Integer> retentionDays, int defaultRetentionDays) {
            this(directory, signingKeyFile, verificationKeyFile, checkpointEvery, retentionDays, defaultRetentionDays,
                    null);
        }

        /** An audit directory with every default. */
        public static Audit in(Path directory) {
            return new Audit(directory, null, null, 1000, Map.of(), DEFAULT_RETENTION_DAYS);
        }
    }

    /**
     * {@code audit.postgres}: the audit log, the outbox and the retention markers of every node
     * in one PostgreSQL database (issue 20). {@code node} names this node in the entries it
     * writes and the outbox rows it leases (default: the host name); {@code outboxLease} is how
     * long a claimed outbox row stays with a node before another may take it over.
     */
    public record Postgres(String uri, String user, Path passwordFile, String node, java.time.Duration outboxLease) {

        public static final int DEFAULT_LEASE_SECONDS = 30;

        public Postgres {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(passwordFile, "passwordFile");
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(outboxLease, "outboxLease");
        }
    }
}
