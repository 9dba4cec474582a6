package uk.wycps.gateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import uk.wycps.connector.RegisterSettings;

/**
 * The gateway's validated configuration (O2), parsed once at start-up by {@link ConfigLoader}.
 */
public record GatewayConfig(Http http, Auth auth, List<RegisterSettings> registers, Audit audit, Path policyFile,
        Statistics statistics, Management management, Limits limits) {

    public GatewayConfig {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(statistics, "statistics");
        Objects.requireNonNull(management, "management");
        Objects.requireNonNull(limits, "limits");
        registers = List.copyOf(registers);
    }

    /** A configuration with the default statistics, management listener and limits. */
    public GatewayConfig(Http http, Auth auth, List<RegisterSettings> registers, Audit audit, Path policyFile) {
        this(http, auth, registers, audit, policyFile, Statistics.DEFAULTS);
    }

    /** A configuration with the default management listener and limits. */
    public GatewayConfig(Http http, Auth auth, List<RegisterSettings> registers, Audit audit, Path policyFile,
            Statistics statistics) {
        this(http, auth, registers, audit, policyFile, statistics, Management.DEFAULTS, Limits.DEFAULTS);
    }

    /** This configuration with other admission limits. */
    public GatewayConfig withLimits(Limits other) {
        return new GatewayConfig(http, auth, registers, audit, policyFile, statistics, management, other);
    }

    /** This configuration with another management listener. */
    public GatewayConfig withManagement(Management other) {
        return new GatewayConfig(http, auth, registers, audit, policyFile, statistics, other, limits);
    }

    /** This configuration with other token checks. */
    public GatewayConfig withAuth(Auth other) {
        return new GatewayConfig(http, other, registers, audit, policyFile, statistics, management, limits);
    }

    /** This configuration with other listener settings. */
    public GatewayConfig withHttp(Http other) {
        return new GatewayConfig(other, auth, registers, audit, policyFile, statistics, management, limits);
    }

    /**
     * The listener for operators (O3): {@code /metrics} and {@code /health/ready}, which say how
     * each register is doing, are not for the network the API faces. Port 0 picks a free port.
     */
    public record Management(String host, int port) {
        public static final Management DEFAULTS = new Management("127.0.0.1", 9090);

        public Management {
            Objects.requireNonNull(host, "host");
        }
    }

    /**
     * Admission control (A1, O2): at most {@code maxInFlight} enquiries at once on this node; a
     * token bucket per caller (token subject) and per agency (authority and agency); and, before
     * any signature is checked, a bucket per client address that each refused token empties.
     * A null rate is no limit of that kind; {@code maxInFlight} 0 is none.
     */
    public record Limits(int maxInFlight, Rate perCaller, Rate perAgency, Rate failedAuthPerAddress) {
        public static final Limits DEFAULTS = new Limits(512, new Rate(60, 20), new Rate(3000, 500), new Rate(30, 10));
        /** No limit at all (tests and benchmarks of other things). */
        public static final Limits OFF = new Limits(0, null, null, null);
    }

    /** A token bucket: {@code burst} at once, refilled at {@code perMinute}. */
    public record Rate(int perMinute, int burst) {
        public Rate {
            if (perMinute < 1 || burst < 1) {
                throw new IllegalArgumentException("a rate needs perMinute and burst of at least 1");
            }
        }
    }

    /** Small-number suppression for statistics (S1): counts below {@code threshold} are not shown. */
    public record Statistics(int suppressionThreshold) {
        public static final Statistics DEFAULTS = new Statistics(5);
    }

    /** Where and how the API listens. */
    public record Http(String host, int port, int maxBodyBytes, int idleTimeoutSeconds, Tls tls) {
        public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024;
        public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 30;

        /** Cleartext HTTP (the demo, tests and a gateway behind a TLS-terminating proxy). */
        public Http(String host, int port, int maxBodyBytes, int idleTimeoutSeconds) {
            this(host, port, maxBodyBytes, idleTimeoutSeconds, null);
        }
    }

    /**
     * The API's certificate chain and private key, PEM files (A1, H1). Only TLS 1.2 and 1.3; the
     * files are watched and a changed pair is served to new connections without a restart.
     */
    public record Tls(Path certFile, Path keyFile, java.time.Duration checkEvery) {
        public static final java.time.Duration DEFAULT_CHECK_EVERY = java.time.Duration.ofSeconds(10);

        public Tls {
            Objects.requireNonNull(certFile, "certFile");
            Objects.requireNonNull(keyFile, "keyFile");
            Objects.requireNonNull(checkEvery, "checkEvery");
        }

        /** The files checked for a change every 10 s. */
        public Tls(Path certFile, Path keyFile) {
            this(certFile, keyFile, DEFAULT_CHECK_EVERY);
        }
    }

    /**
     * Token checks (A1): the trusted issuer, the audience, the issuer's public keys (PEM, and/or
     * a key set fetched from {@code jwksUri}, or found by OpenID discovery from the issuer when
     * {@code discover}), and the longest lifetime ({@code exp - iat}) a token may claim.
     */
    public record Auth(String issuer, String audience, List<VerificationKey> keys, int leewaySeconds, URI jwksUri,
            boolean discover, int maxTokenLifetimeSeconds) {
        public static final String DEFAULT_AUDIENCE = "wycps-gateway";
        public static final int DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 3600;

        public Auth {
            keys = List.copyOf(keys);
        }

        /** PEM keys only, the default lifetime bound. */
        public Auth(String issuer, String audience, List<VerificationKey> keys, int leewaySeconds) {
            this(issuer, audience, keys, leewaySeconds, null, false, DEFAULT_MAX_TOKEN_LIFETIME_SECONDS);
        }

        /** True when keys come from the identity provider (a key set URL or discovery). */
        public boolean remoteKeys() {
            return jwksUri != null || discover;
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
