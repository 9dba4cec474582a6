package uk.wycps.gateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.audit.FileAuditSink;

/**
 * The gateway's validated configuration (O2), parsed once at start-up by {@link ConfigLoader}.
 */
public record GatewayConfig(Http http, Auth auth, List<RegisterSettings> registers, Audit audit, Path policyFile,
        Statistics statistics, Management management, Limits limits, Map<String, RegisterContact> contacts,
        Console console) {

    public GatewayConfig {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(statistics, "statistics");
        Objects.requireNonNull(management, "management");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(console, "console");
        registers = List.copyOf(registers);
        contacts = contacts == null ? Map.of() : Map.copyOf(contacts);
    }

    /** A configuration with the default statistics, management listener and limits, no advice contacts and no console sign-in. */
    public GatewayConfig(Http http, Auth auth, List<RegisterSettings> registers, Audit audit, Path policyFile) {
        this(http, auth, registers, audit, policyFile, Statistics.DEFAULTS);
    }

    /**
     * A configuration with the default management listener and limits, no advice contacts
     * (answers then carry none) and no console sign-in (GET / then says so).
     */
    public GatewayConfig(Http http, Auth auth, List<RegisterSettings> registers, Audit audit, Path policyFile,
            Statistics statistics) {
        this(http, auth, registers, audit, policyFile, statistics, Management.DEFAULTS, Limits.DEFAULTS, Map.of(),
                Console.OFF);
    }

    /** The same configuration with these advice contacts, by authority (F6). */
    public GatewayConfig withContacts(Map<String, RegisterContact> byAuthority) {
        return new GatewayConfig(http, auth, registers, audit, policyFile, statistics, management, limits, byAuthority,
                console);
    }

    /** This configuration with other console settings. */
    public GatewayConfig withConsole(Console settings) {
        return new GatewayConfig(http, auth, registers, audit, policyFile, statistics, management, limits, contacts,
                settings);
    }

    /** This configuration with other admission limits. */
    public GatewayConfig withLimits(Limits other) {
        return new GatewayConfig(http, auth, registers, audit, policyFile, statistics, management, other, contacts, console);
    }

    /** This configuration with another management listener. */
    public GatewayConfig withManagement(Management other) {
        return new GatewayConfig(http, auth, registers, audit, policyFile, statistics, other, limits, contacts, console);
    }

    /** This configuration with other token checks. */
    public GatewayConfig withAuth(Auth other) {
        return new GatewayConfig(http, other, registers, audit, policyFile, statistics, management, limits, contacts, console);
    }

    /** This configuration with other listener settings. */
    public GatewayConfig withHttp(Http other) {
        return new GatewayConfig(other, auth, registers, audit, policyFile, statistics, management, limits, contacts, console);
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
     * A null rate is no limit of that kind; {@code maxInFlight} 0 is none. And
     * {@code maxEventLoopLagMs}: a new enquiry is refused while the event loop that would serve it
     * is that far behind (0: never), so an overloaded node refuses at once instead of answering
     * late: requests queued in the sockets are counted by no other limit.
     */
    public record Limits(int maxInFlight, Rate perCaller, Rate perAgency, Rate failedAuthPerAddress,
            int maxEventLoopLagMs) {
        /** The lag refused when the configuration says nothing: far above a busy loop's, far below a deadline. */
        public static final int DEFAULT_MAX_EVENT_LOOP_LAG_MS = 100;
        public static final Limits DEFAULTS = new Limits(512, new Rate(60, 20), new Rate(3000, 500), new Rate(30, 10),
                DEFAULT_MAX_EVENT_LOOP_LAG_MS);
        /** No limit at all (tests and benchmarks of other things). */
        public static final Limits OFF = new Limits(0, null, null, null, 0);

        public Limits {
            if (maxInFlight < 0 || maxEventLoopLagMs < 0) {
                throw new IllegalArgumentException("maxInFlight and maxEventLoopLagMs are 0 (none) or more");
            }
        }

        /** These limits without the event-loop lag one (tests of the other limits). */
        public Limits(int maxInFlight, Rate perCaller, Rate perAgency, Rate failedAuthPerAddress) {
            this(maxInFlight, perCaller, perAgency, failedAuthPerAddress, 0);
        }
    }

    /** A token bucket: {@code burst} at once, refilled at {@code perMinute}. */
    public record Rate(int perMinute, int burst) {
        public Rate {
            if (perMinute < 1 || burst < 1) {
                throw new IllegalArgumentException("a rate needs perMinute and burst of at least 1");
            }
        }
    }

    /**
     * The practitioner console's sign-in (issue 16): {@code DEMO} offers a persona picker (the
     * demo command only); {@code OIDC} signs in with OpenID Connect against {@code auth.issuer}
     * with {@code clientId} and {@code redirectUri} (the console's {@code /sign-in/callback});
     * {@code OFF} serves a page saying that sign-in is not configured. {@code idleTimeout} ends a
     * session nobody has used for that long; {@code secureCookie} marks the session cookie Secure
     * (under TLS, or when the redirect address is https).
     */
    public record Console(Mode mode, String clientId, Path clientSecretFile, String redirectUri,
            java.time.Duration idleTimeout, boolean secureCookie) {

        public static final java.time.Duration DEFAULT_IDLE = java.time.Duration.ofMinutes(15);
        public static final Console OFF = new Console(Mode.OFF, null, null, null, DEFAULT_IDLE, false);

        public enum Mode { OFF, DEMO, OIDC }

        public Console {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            if (mode == Mode.OIDC && (clientId == null || redirectUri == null)) {
                throw new IllegalArgumentException("OpenID Connect sign-in needs clientId and redirectUri");
            }
        }

        /** The demo command's persona picker. */
        public static Console demo() {
            return new Console(Mode.DEMO, null, null, null, DEFAULT_IDLE, false);
        }

        public Console withIdleTimeout(java.time.Duration idle) {
            return new Console(mode, clientId, clientSecretFile, redirectUri, idle, secureCookie);
        }
    }

    /** Small-number suppression for statistics (S1): counts below {@code threshold} are not shown. */
    public record Statistics(int suppressionThreshold) {
        public static final Statistics DEFAULTS = new Statistics(5);
    }

    /** Where and how the API listens. */
    public record Http(String host, int port, int maxBodyBytes, int idleTimeoutSeconds, Tls tls) {
        public static final String DEFAULT_HOST = "0.0.0.0";
        public static final int DEFAULT_PORT = 8080;
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
        public static final int DEFAULT_LEEWAY_SECONDS = 30;
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
            return new Audit(directory, null, null, FileAuditSink.DEFAULT_CHECKPOINT_EVERY, Map.of(), DEFAULT_RETENTION_DAYS);
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
