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
        Statistics statistics, Map<String, RegisterContact> contacts, Console console) {

    public GatewayConfig {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(statistics, "statistics");
        Objects.requireNonNull(console, "console");
        registers = List.copyOf(registers);
        contacts = contacts == null ? Map.of() : Map.copyOf(contacts);
    }

    /** A configuration with no advice contacts (answers then carry none) and no console sign-in. */
    public GatewayConfig(Http http, Auth auth, List<RegisterSettings> registers, Audit audit, Path policyFile,
            Statistics statistics) {
        this(http, auth, registers, audit, policyFile, statistics, Map.of(), Console.OFF);
    }

    /** A configuration with advice contacts and no console sign-in (GET / then says so). */
    public GatewayConfig(Http http, Auth auth, List<RegisterSettings> registers, Audit audit, Path policyFile,
            Statistics statistics, Map<String, RegisterContact> contacts) {
        this(http, auth, registers, audit, policyFile, statistics, contacts, Console.OFF);
    }

    /** The same configuration with these advice contacts, by authority (F6). */
    public GatewayConfig withContacts(Map<String, RegisterContact> byAuthority) {
        return new GatewayConfig(http, auth, registers, audit, policyFile, statistics, byAuthority, console);
    }

    /** This configuration with other console settings. */
    public GatewayConfig withConsole(Console settings) {
        return new GatewayConfig(http, auth, registers, audit, policyFile, statistics, contacts, settings);
    }

    /** A configuration with the default statistics settings. */
    public GatewayConfig(Http http, Auth auth, List<RegisterSettings> registers, Audit audit, Path policyFile) {
        this(http, auth, registers, audit, policyFile, Statistics.DEFAULTS);
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
            Map<String, Integer> retentionDays, int defaultRetentionDays) {

        /** Retention when an authority sets none: 7 years. */
        public static final int DEFAULT_RETENTION_DAYS = 7 * 365;

        public Audit {
            retentionDays = Map.copyOf(retentionDays);
        }

        /** An audit directory with every default. */
        public static Audit in(Path directory) {
            return new Audit(directory, null, null, 1000, Map.of(), DEFAULT_RETENTION_DAYS);
        }
    }
}
