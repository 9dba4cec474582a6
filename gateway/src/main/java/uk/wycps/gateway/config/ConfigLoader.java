package uk.wycps.gateway.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.connector.RegisterSettings;

/**
 * Reads and validates the gateway's JSON configuration file (O2). Every problem stops start-up
 * with a {@link ConfigException} naming the file, the place and the problem. Relative paths
 * inside the file are resolved against the file's folder.
 *
 * <pre>
 * {
 *   "http": {"host": "0.0.0.0", "port": 8443, "tls": {"certFile": "gateway.crt", "keyFile": "gateway.key"}},
 *   "management": {"host": "127.0.0.1", "port": 9090},
 *   "auth": {"issuer": "https://idp.example", "audience": "wycps-gateway",
 *            "jwksUri": "https://idp.example/jwks", "maxTokenLifetimeSeconds": 3600,
 *            "keys": [{"algorithm": "ES256", "publicKeyFile": "issuer.pem"}]},
 *   "limits": {"maxInFlight": 512, "perCaller": {"perMinute": 60, "burst": 20},
 *              "perAgency": {"perMinute": 3000, "burst": 500}},
 *   "registers": [{"authority": "leeds", "dialect": "canonical-json", "baseUrl": "http://leeds:9104",
 *                  "deadlineMs": 2000, "maxConnections": 64, "maxWaitQueue": 256}],
 *   "audit": {"directory": "audit"},
 *   "policy": {"file": "policy.yaml"}
 * }
 * </pre>
 */
public final class ConfigLoader {

    private static final Pattern AUTHORITY = Pattern.compile("[a-z][a-z0-9-]{1,39}");
    private static final Set<String> ALGORITHMS = Set.of("ES256", "RS256");

    private final ConnectorRegistry connectors;

    public ConfigLoader(ConnectorRegistry connectors) {
        this.connectors = connectors;
    }

    /** Reads {@code file}; {@link ConfigException} for any problem. */
    public GatewayConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        JsonObject json;
        try {
            json = new JsonObject(text);
        } catch (DecodeException e) {
            throw new ConfigException(file + ": not valid JSON");
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(json, base, file.toString());
    }

    /** Validates an already-read configuration; {@code source} names it in messages. */
    public GatewayConfig parse(JsonObject json, Path base, String source) {
        Place root = new Place(source, "$");
        root.onlyKeys(json, "http", "auth", "registers", "audit", "policy", "statistics", "management", "limits");
        GatewayConfig.Http http = http(root.child("http"), json.getValue("http"), base);
        GatewayConfig.Management management = management(root.child("management"), json.getValue("management"));
        GatewayConfig.Limits limits = limits(root.child("limits"), json.getValue("limits"));
        GatewayConfig.Auth auth = auth(root.child("auth"), json.getValue("auth"), base);
        List<RegisterSettings> registers = registers(root.child("registers"), json.getValue("registers"));
        GatewayConfig.Audit audit = audit(root.child("audit"), json.getValue("audit"), base);
        for (String authority : audit.retentionDays().keySet()) {
            if (registers.stream().noneMatch(r -> r.authority().equals(authority))) {
                throw root.child("audit").child("retentionDays").child(authority)
                        .problem("no register '" + authority + "' is configured");
            }
        }
        Path policy = null;
        Object policyJson = json.getValue("policy");
        if (policyJson != null) {
            Place p = root.child("policy");
            JsonObject o = p.object(policyJson);
            p.onlyKeys(o, "file");
            String f = p.child("file").string(o.getValue("file"), true);
            policy = base.resolve(f);
            if (!Files.isReadable(policy)) {
                throw p.child("file").problem("policy file " + policy + " cannot be read");
            }
        }
        GatewayConfig.Statistics statistics = GatewayConfig.Statistics.DEFAULTS;
        if (json.getValue("statistics") != null) {
            Place st = root.child("statistics");
            JsonObject o = st.object(json.getValue("statistics"));
            st.onlyKeys(o, "suppressionThreshold");
            // Below 5 is not suppression the protocol's "anonymised" can rest on.
            statistics = new GatewayConfig.Statistics(st.child("suppressionThreshold")
                    .integer(o.getValue("suppressionThreshold"), 5, 5, 100));
        }
        return new GatewayConfig(http, auth, registers, audit, policy, statistics, management, limits);
    }

    private GatewayConfig.Http http(Place p, Object value, Path base) {
        JsonObject o = value == null ? new JsonObject() : p.object(value);
        p.onlyKeys(o, "host", "port", "maxBodyBytes", "idleTimeoutSeconds", "tls");
        String host = o.containsKey("host") ? p.child("host").string(o.getValue("host"), true) : "0.0.0.0";
        int port = p.child("port").integer(o.getValue("port"), 8080, 0, 65535);
        int maxBody = p.child("maxBodyBytes").integer(o.getValue("maxBodyBytes"),
                GatewayConfig.Http.DEFAULT_MAX_BODY_BYTES, 1024, 1024 * 1024);
        int idle = p.child("idleTimeoutSeconds").integer(o.getValue("idleTimeoutSeconds"),
                GatewayConfig.Http.DEFAULT_IDLE_TIMEOUT_SECONDS, 1, 3600);
        GatewayConfig.Tls tls = null;
        if (o.getValue("tls") != null) {
            Place t = p.child("tls");
            JsonObject to = t.object(o.getValue("tls"));
            t.onlyKeys(to, "certFile", "keyFile");
            tls = new GatewayConfig.Tls(readable(t.child("certFile"), base, to.getValue("certFile")),
                    readable(t.child("keyFile"), base, to.getValue("keyFile")));
        }
        return new GatewayConfig.Http(host, port, maxBody, idle, tls);
    }

    private static GatewayConfig.Management management(Place p, Object value) {
        if (value == null) {
            return GatewayConfig.Management.DEFAULTS;
        }
        JsonObject o = p.object(value);
        p.onlyKeys(o, "host", "port");
        String host = o.containsKey("host") ? p.child("host").string(o.getValue("host"), true)
                : GatewayConfig.Management.DEFAULTS.host();
        int port = p.child("port").integer(o.getValue("port"), GatewayConfig.Management.DEFAULTS.port(), 0, 65535);
        return new GatewayConfig.Management(host, port);
    }

    private static GatewayConfig.Limits limits(Place p, Object value) {
        GatewayConfig.Limits d = GatewayConfig.Limits.DEFAULTS;
        if (value == null) {
            return d;
        }
        JsonObject o = p.object(value);
        p.onlyKeys(o, "maxInFlight", "perCaller", "perAgency", "failedAuthPerAddress");
        int inFlight = p.child("maxInFlight").integer(o.getValue("maxInFlight"), d.maxInFlight(), 1, 1_000_000);
        return new GatewayConfig.Limits(inFlight, rate(p.child("perCaller"), o.getValue("perCaller"), d.perCaller()),
                rate(p.child("perAgency"), o.getValue("perAgency"), d.perAgency()),
                rate(p.child("failedAuthPerAddress"), o.getValue("failedAuthPerAddress"), d.failedAuthPerAddress()));
    }

    private static GatewayConfig.Rate rate(Place p, Object value, GatewayConfig.Rate defaults) {
        if (value == null) {
            return defaults;
        }
        JsonObject o = p.object(value);
        p.onlyKeys(o, "perMinute", "burst");
        return new GatewayConfig.Rate(p.child("perMinute").integer(o.getValue("perMinute"), defaults.perMinute(), 1,
                10_000_000), p.child("burst").integer(o.getValue("burst"), defaults.burst(), 1, 1_000_000));
    }

    private GatewayConfig.Auth auth(Place p, Object value, Path base) {
        if (value == null) {
            throw p.problem("missing: the gateway does not start without token verification keys");
        }
        JsonObject o = p.object(value);
        p.onlyKeys(o, "issuer", "audience", "keys", "leewaySeconds", "jwksUri", "maxTokenLifetimeSeconds");
        String issuer = p.child("issuer").string(o.getValue("issuer"), true);
        String audience = o.containsKey("audience")
                ? p.child("audience").string(o.getValue("audience"), true) : GatewayConfig.Auth.DEFAULT_AUDIENCE;
        int leeway = p.child("leewaySeconds").integer(o.getValue("leewaySeconds"), 30, 0, 300);
        int lifetime = p.child("maxTokenLifetimeSeconds").integer(o.getValue("maxTokenLifetimeSeconds"),
                GatewayConfig.Auth.DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, 60, 24 * 3600);
        URI jwksUri = null;
        if (o.getValue("jwksUri") != null) {
            jwksUri = keySource(p.child("jwksUri"), p.child("jwksUri").string(o.getValue("jwksUri"), true));
        }
        Place keysPlace = p.child("keys");
        Object keysValue = o.getValue("keys");
        boolean discover = false;
        if (keysValue == null && jwksUri == null) {
            // Neither PEM keys nor a key set: the issuer's OpenID discovery document names the key set.
            keySource(p.child("issuer"), issuer);
            discover = true;
        }
        if (keysValue == null) {
            return new GatewayConfig.Auth(issuer, audience, List.of(), leeway, jwksUri, discover, lifetime);
        }
        if (!(keysValue instanceof JsonArray keys) || keys.isEmpty()) {
            // An empty key set would put vertx-auth-jwt into its unsecured mode (see PITFALLS).
            throw keysPlace.problem("at least one verification key is required; with none, unsigned tokens would pass");
        }
        List<GatewayConfig.VerificationKey> parsed = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            Place k = keysPlace.index(i);
            JsonObject key = k.object(keys.getValue(i));
            k.onlyKeys(key, "algorithm", "publicKeyFile", "publicKey");
            String alg = k.child("algorithm").string(key.getValue("algorithm"), true);
            if (!ALGORITHMS.contains(alg)) {
                throw k.child("algorithm").problem("must be one of " + ALGORITHMS + " (asymmetric only), not " + alg);
            }
            String pem;
            if (key.containsKey("publicKeyFile")) {
                Path f = base.resolve(k.child("publicKeyFile").string(key.getValue("publicKeyFile"), true));
                try {
                    pem = Files.readString(f);
                } catch (IOException e) {
                    throw k.child("publicKeyFile").problem("cannot read " + f);
                }
            } else {
                pem = k.child("publicKey").string(key.getValue("publicKey"), true);
            }
            if (!pem.contains("-----BEGIN PUBLIC KEY-----")) {
                throw k.problem("the key must be a PEM public key (-----BEGIN PUBLIC KEY-----); never a private or shared secret");
            }
            parsed.add(new GatewayConfig.VerificationKey(alg, pem));
        }
        return new GatewayConfig.Auth(issuer, audience, parsed, leeway, jwksUri, false, lifetime);
    }

    /**
     * A URL keys are fetched from: https, or http only to this machine (a test's identity
     * provider): keys fetched in clear over a network could be swapped on the way.
     */
    private static URI keySource(Place p, String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw p.problem("not a URL");
        }
        boolean loopback = uri.getHost() != null && (uri.getHost().equals("localhost") || uri.getHost().startsWith("127.")
                || uri.getHost().equals("[::1]"));
        if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()) && loopback)) {
            throw p.problem("give auth.keys, or an https URL to fetch the identity provider's keys from "
                    + "(auth.jwksUri, or an issuer that publishes OpenID discovery)");
        }
        return uri;
    }

    private List<RegisterSettings> registers(Place p, Object value) {
        if (!(value instanceof JsonArray array) || array.isEmpty()) {
            throw p.problem("at least one register is required");
        }
        List<RegisterSettings> registers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            Place r = p.index(i);
            JsonObject o = r.object(array.getValue(i));
            r.onlyKeys(o, "authority", "dialect", "baseUrl", "deadlineMs", "maxConnections", "maxWaitQueue",
                    "maxResponseBytes", "options");
            String authority = r.child("authority").string(o.getValue("authority"), true);
            if (!AUTHORITY.matcher(authority).matches()) {
                throw r.child("authority").problem("must be a lower-case name like 'leeds'");
            }
            if (!seen.add(authority)) {
                throw r.child("authority").problem("register '" + authority + "' is configured twice");
            }
            String dialect = r.child("dialect").string(o.getValue("dialect"), true);
            if (!connectors.supports(dialect)) {
                throw r.child("dialect").problem("no connector for dialect '" + dialect + "' (known: "
                        + connectors.dialects() + ")");
            }
            URI url;
            try {
                url = new URI(r.child("baseUrl").string(o.getValue("baseUrl"), true));
            } catch (URISyntaxException e) {
                throw r.child("baseUrl").problem("not a URL");
            }
            if (url.getHost() == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                throw r.child("baseUrl").problem("must be an http or https URL with a host");
            }
            int deadline = r.child("deadlineMs").integer(o.getValue("deadlineMs"),
                    (int) RegisterSettings.DEFAULT_DEADLINE.toMillis(), 10, 60_000);
            int maxConnections = r.child("maxConnections").integer(o.getValue("maxConnections"),
                    RegisterSettings.DEFAULT_MAX_CONNECTIONS, 1, 10_000);
            int maxWaitQueue = r.child("maxWaitQueue").integer(o.getValue("maxWaitQueue"),
                    RegisterSettings.DEFAULT_MAX_WAIT_QUEUE, 0, 100_000);
            int maxResponseBytes = r.child("maxResponseBytes").integer(o.getValue("maxResponseBytes"),
                    RegisterSettings.DEFAULT_MAX_RESPONSE_BYTES, 1024, 64 * 1024 * 1024);
            JsonObject options = o.containsKey("options") ? r.child("options").object(o.getValue("options")) : null;
            registers.add(new RegisterSettings(authority, dialect, url, Duration.ofMillis(deadline), maxConnections,
                    maxWaitQueue, maxResponseBytes, options));
        }
        return registers;
    }

    private GatewayConfig.Audit audit(Place p, Object value, Path base) {
        if (value == null) {
            throw p.problem("missing: every enquiry must be audited (H1)");
        }
        JsonObject o = p.object(value);
        p.onlyKeys(o, "directory", "signingKeyFile", "verificationKeyFile", "checkpointEvery", "retentionDays",
                "postgres");
        GatewayConfig.Postgres postgres = o.containsKey("postgres") ? postgres(p.child("postgres"),
                o.getValue("postgres"), base) : null;
        // With PostgreSQL the directory is optional (the audit is in the database).
        Path directory = postgres != null && !o.containsKey("directory") ? null
                : base.resolve(p.child("directory").string(o.getValue("directory"), true));
        Path signing = null;
        Path verification = null;
        if (postgres != null && !(o.containsKey("signingKeyFile") && o.containsKey("verificationKeyFile"))) {
            // Every node signs checkpoints of the one shared chain: they need the same key, from a file.
            throw p.problem("with audit.postgres, signingKeyFile and verificationKeyFile are required "
                    + "(every node signs the shared chain with the same key)");
        }
        if (o.containsKey("signingKeyFile") || o.containsKey("verificationKeyFile")) {
            signing = readable(p.child("signingKeyFile"), base, o.getValue("signingKeyFile"));
            verification = readable(p.child("verificationKeyFile"), base, o.getValue("verificationKeyFile"));
        }
        int every = p.child("checkpointEvery").integer(o.getValue("checkpointEvery"), 1000, 1, 1_000_000);
        Map<String, Integer> retention = new LinkedHashMap<>();
        int defaultRetention = GatewayConfig.Audit.DEFAULT_RETENTION_DAYS;
        if (o.containsKey("retentionDays")) {
            Place r = p.child("retentionDays");
            JsonObject days = r.object(o.getValue("retentionDays"));
            for (String key : days.fieldNames()) {
                int d = r.child(key).integer(days.getValue(key), 0, 1, 100 * 365);
                if ("default".equals(key)) {
                    defaultRetention = d;
                } else {
                    retention.put(key, d);
                }
            }
        }
        return new GatewayConfig.Audit(directory, signing, verification, every, retention, defaultRetention, postgres);
    }

    private GatewayConfig.Postgres postgres(Place p, Object value, Path base) {
        JsonObject o = p.object(value);
        p.onlyKeys(o, "uri", "user", "passwordFile", "node", "outboxLeaseSeconds");
        String uri = p.child("uri").string(o.getValue("uri"), true);
        if (!uri.startsWith("postgresql://") && !uri.startsWith("postgres://")) {
            throw p.child("uri").problem("must be a postgresql://host:port/database URI");
        }
        try {
            io.vertx.pgclient.PgConnectOptions.fromUri(uri);
        } catch (RuntimeException e) {
            throw p.child("uri").problem("not a PostgreSQL URI");
        }
        if (uri.substring(uri.indexOf("//") + 2).contains("@")) {
            throw p.child("uri").problem("must not hold credentials: give user and passwordFile");
        }
        String user = p.child("user").string(o.getValue("user"), true);
        Path passwordFile = readable(p.child("passwordFile"), base, o.getValue("passwordFile"));
        String node = o.containsKey("node") ? p.child("node").string(o.getValue("node"), true) : defaultNode();
        if (!node.matches("[A-Za-z0-9._-]{1,63}")) {
            throw p.child("node").problem("must be 1-63 letters, digits, '.', '_' or '-'");
        }
        int lease = p.child("outboxLeaseSeconds").integer(o.getValue("outboxLeaseSeconds"),
                GatewayConfig.Postgres.DEFAULT_LEASE_SECONDS, 2, 3600);
        return new GatewayConfig.Postgres(uri, user, passwordFile, node, Duration.ofSeconds(lease));
    }

    private static String defaultNode() {
        try {
            String host = java.net.InetAddress.getLocalHost().getHostName();
            return host.matches("[A-Za-z0-9._-]{1,63}") ? host : "node";
        } catch (java.net.UnknownHostException e) {
            return "node";
        }
    }

    private static Path readable(Place p, Path base, Object value) {
        Path f = base.resolve(p.string(value, true));
        if (!Files.isReadable(f)) {
            throw p.problem("cannot read " + f);
        }
        return f;
    }

    /** A place in the file, for messages: {@code config.json at $.registers[2].baseUrl: ...}. */
    private record Place(String source, String path) {

        Place child(String key) {
            return new Place(source, path + "." + key);
        }

        Place index(int i) {
            return new Place(source, path + "[" + i + "]");
        }

        ConfigException problem(String what) {
            return new ConfigException(source + " at " + path + ": " + what);
        }

        JsonObject object(Object value) {
            if (value instanceof JsonObject o) {
                return o;
            }
            throw problem("must be an object");
        }

        String string(Object value, boolean required) {
            if (value == null && !required) {
                return null;
            }
            if (!(value instanceof String s) || s.isBlank()) {
                throw problem(value == null ? "missing" : "must be a non-empty string");
            }
            return s;
        }

        int integer(Object value, int defaultValue, int min, int max) {
            if (value == null) {
                return defaultValue;
            }
            if (!(value instanceof Integer || value instanceof Long)) {
                throw problem("must be a whole number");
            }
            long n = ((Number) value).longValue();
            if (n < min || n > max) {
                throw problem("must be between " + min + " and " + max + ", not " + n);
            }
            return (int) n;
        }

        void onlyKeys(JsonObject o, String... allowed) {
            Set<String> known = Set.of(allowed);
            for (String key : o.fieldNames()) {
                if (!known.contains(key)) {
                    throw child(key).problem("unknown setting (known here: " + String.join(", ", allowed) + ")");
                }
            }
        }
    }
}
