package uk.wycps.gateway.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import uk.wycps.connector.http.PrivateKeyFiles;
import uk.wycps.connector.http.RegisterHttpClients;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.schema.Schemas;
import uk.wycps.gateway.audit.FileAuditSink;

/**
 * Reads the gateway's JSON configuration file and checks it (O2): first against its schema
 * ({@code schemas/gateway-config.schema.json} in the connectors module, which lists every
 * setting, its type and range), then the rules a schema cannot say (a file is readable, a key is
 * a PEM public key, a dialect has a connector, an authority is configured once). Every problem
 * stops start-up with a {@link ConfigException} naming the file, the JSON path and the problem.
 * Relative paths inside the file are resolved against the file's folder. Defaults live with what
 * they configure ({@link RegisterSettings}, {@link GatewayConfig}, {@link FileAuditSink}).
 */
public final class ConfigLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

    private static final Schemas SCHEMA = Schemas.of(Schemas.GATEWAY_CONFIG);

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

    /** What the edge's idle timeout must leave past the longest register deadline: assembling, auditing, answering. */
    static final long IDLE_MARGIN_MS = 2_000;

    /** Validates an already-read configuration; {@code source} names it in messages. */
    public GatewayConfig parse(JsonObject json, Path base, String source) {
        SCHEMA.problem(json).ifPresent(problem -> {
            throw new ConfigException(source + " at " + problem);
        });
        Place root = new Place(source, "$");
        GatewayConfig.Http http = http(root.child("http"), json.getJsonObject("http", new JsonObject()), base);
        GatewayConfig.Management management = management(json.getJsonObject("management"));
        GatewayConfig.Limits limits = limits(json.getJsonObject("limits"));
        GatewayConfig.Auth auth = auth(root.child("auth"), json.getJsonObject("auth"), base);
        List<RegisterSettings> registers = registers(root.child("registers"), json.getJsonArray("registers"), base);
        long slowest = registers.stream().mapToLong(r -> r.deadline().toMillis()).max().orElse(0);
        if (http.idleTimeoutSeconds() * 1000L < slowest + IDLE_MARGIN_MS) {
            // The caller's connection is idle while the registers are asked: closed before the
            // slowest may answer, the caller would get no answer at all, not even "not all checked".
            throw root.child("http").child("idleTimeoutSeconds").problem("must exceed the longest register deadline ("
                    + slowest + " ms) by at least " + IDLE_MARGIN_MS / 1000 + " s");
        }
        GatewayConfig.Audit audit = audit(root.child("audit"), json.getJsonObject("audit"), base);
        for (String authority : audit.retentionDays().keySet()) {
            if (registers.stream().noneMatch(r -> r.authority().equals(authority))) {
                throw root.child("audit").child("retentionDays").child(authority)
                        .problem("no register '" + authority + "' is configured");
            }
        }
        Path policy = null;
        JsonObject policyJson = json.getJsonObject("policy");
        if (policyJson != null) {
            policy = readable(root.child("policy").child("file"), base, policyJson.getString("file"));
        }
        GatewayConfig.Statistics statistics = GatewayConfig.Statistics.DEFAULTS;
        JsonObject st = json.getJsonObject("statistics");
        if (st != null) {
            statistics = new GatewayConfig.Statistics(st.getInteger("suppressionThreshold",
                    GatewayConfig.Statistics.DEFAULTS.suppressionThreshold()));
        }
        GatewayConfig.Console console = console(root.child("console"), json.getJsonObject("console"), base);
        return new GatewayConfig(http, auth, registers, audit, policy, statistics, management, limits,
                contacts(root.child("registers"), json.getJsonArray("registers")), console);
    }

    /** The console's OpenID Connect client (API.md: console.clientId, console.redirectUri); shapes in the schema. */
    private static GatewayConfig.Console console(Place p, JsonObject o, Path base) {
        if (o == null) {
            return GatewayConfig.Console.OFF;
        }
        String redirect = o.getString("redirectUri");
        URI uri;
        try {
            uri = new URI(redirect);
        } catch (URISyntaxException e) {
            throw p.child("redirectUri").problem("not a URI");
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                || !"/sign-in/callback".equals(uri.getPath()) || uri.getQuery() != null || uri.getFragment() != null) {
            throw p.child("redirectUri").problem("must be the console's http(s)://HOST[:PORT]/sign-in/callback");
        }
        Path secret = o.containsKey("clientSecretFile")
                ? secret(p.child("clientSecretFile"), base, o.getString("clientSecretFile")) : null;
        int idle = o.getInteger("idleTimeoutMinutes", (int) GatewayConfig.Console.DEFAULT_IDLE.toMinutes());
        return new GatewayConfig.Console(GatewayConfig.Console.Mode.OIDC, o.getString("clientId"), secret, redirect,
                Duration.ofMinutes(idle), "https".equals(uri.getScheme()));
    }

    private static GatewayConfig.Http http(Place p, JsonObject o, Path base) {
        GatewayConfig.Tls tls = null;
        JsonObject t = o.getJsonObject("tls");
        if (t != null) {
            tls = new GatewayConfig.Tls(readable(p.child("tls").child("certFile"), base, t.getString("certFile")),
                    readable(p.child("tls").child("keyFile"), base, t.getString("keyFile")));
        }
        return new GatewayConfig.Http(o.getString("host", GatewayConfig.Http.DEFAULT_HOST),
                o.getInteger("port", GatewayConfig.Http.DEFAULT_PORT),
                o.getInteger("maxBodyBytes", GatewayConfig.Http.DEFAULT_MAX_BODY_BYTES),
                o.getInteger("idleTimeoutSeconds", GatewayConfig.Http.DEFAULT_IDLE_TIMEOUT_SECONDS), tls);
    }

    private static GatewayConfig.Management management(JsonObject o) {
        GatewayConfig.Management d = GatewayConfig.Management.DEFAULTS;
        return o == null ? d : new GatewayConfig.Management(o.getString("host", d.host()), o.getInteger("port", d.port()));
    }

    private static GatewayConfig.Limits limits(JsonObject o) {
        GatewayConfig.Limits d = GatewayConfig.Limits.DEFAULTS;
        if (o == null) {
            return d;
        }
        return new GatewayConfig.Limits(o.getInteger("maxInFlight", d.maxInFlight()),
                rate(o.getJsonObject("perCaller"), d.perCaller()), rate(o.getJsonObject("perAgency"), d.perAgency()),
                rate(o.getJsonObject("failedAuthPerAddress"), d.failedAuthPerAddress()),
                o.getInteger("maxEventLoopLagMs", d.maxEventLoopLagMs()));
    }

    private static GatewayConfig.Rate rate(JsonObject o, GatewayConfig.Rate defaults) {
        return o == null ? defaults
                : new GatewayConfig.Rate(o.getInteger("perMinute", defaults.perMinute()), o.getInteger("burst", defaults.burst()));
    }

    private GatewayConfig.Auth auth(Place p, JsonObject o, Path base) {
        String issuer = o.getString("issuer");
        String audience = o.getString("audience", GatewayConfig.Auth.DEFAULT_AUDIENCE);
        int leeway = o.getInteger("leewaySeconds", GatewayConfig.Auth.DEFAULT_LEEWAY_SECONDS);
        int lifetime = o.getInteger("maxTokenLifetimeSeconds", GatewayConfig.Auth.DEFAULT_MAX_TOKEN_LIFETIME_SECONDS);
        URI jwksUri = o.containsKey("jwksUri") ? keySource(p.child("jwksUri"), o.getString("jwksUri")) : null;
        Place keysPlace = p.child("keys");
        JsonArray keys = o.getJsonArray("keys");
        if (keys == null) {
            if (jwksUri != null) {
                return new GatewayConfig.Auth(issuer, audience, List.of(), leeway, jwksUri, false, lifetime);
            }
            // Neither PEM keys nor a key set: the issuer's OpenID discovery document names the key set.
            keySource(p.child("issuer"), issuer);
            return new GatewayConfig.Auth(issuer, audience, List.of(), leeway, null, true, lifetime);
        }
        if (keys.isEmpty()) {
            // An empty key set would put vertx-auth-jwt into its unsecured mode (see PITFALLS).
            throw keysPlace.problem("at least one verification key is required; with none, unsigned tokens would pass");
        }
        List<GatewayConfig.VerificationKey> parsed = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            Place k = keysPlace.index(i);
            JsonObject key = keys.getJsonObject(i);
            String pem;
            if (key.containsKey("publicKeyFile")) {
                Path f = base.resolve(key.getString("publicKeyFile"));
                try {
                    pem = Files.readString(f);
                } catch (IOException e) {
                    throw k.child("publicKeyFile").problem("cannot read " + f);
                }
            } else {
                pem = key.getString("publicKey");
            }
            if (!pem.contains("-----BEGIN PUBLIC KEY-----")) {
                throw k.problem("the key must be a PEM public key (-----BEGIN PUBLIC KEY-----); never a private or shared secret");
            }
            parsed.add(new GatewayConfig.VerificationKey(key.getString("algorithm"), pem));
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

    private List<RegisterSettings> registers(Place p, JsonArray array, Path base) {
        List<RegisterSettings> registers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            Place r = p.index(i);
            JsonObject o = array.getJsonObject(i);
            String authority = o.getString("authority");
            if (!seen.add(authority)) {
                throw r.child("authority").problem("register '" + authority + "' is configured twice");
            }
            String dialect = o.getString("dialect");
            if (!connectors.supports(dialect)) {
                throw r.child("dialect").problem("no connector for dialect '" + dialect + "' (known: "
                        + connectors.dialects() + ")");
            }
            URI url;
            try {
                url = new URI(o.getString("baseUrl"));
            } catch (URISyntaxException e) {
                throw r.child("baseUrl").problem("not a URL");
            }
            if (url.getHost() == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                throw r.child("baseUrl").problem("must be an http or https URL with a host");
            }
            registers.add(new RegisterSettings(authority, dialect, url,
                    Duration.ofMillis(o.getInteger("deadlineMs", (int) RegisterSettings.DEFAULT_DEADLINE.toMillis())),
                    o.getInteger("maxConnections", RegisterSettings.DEFAULT_MAX_CONNECTIONS),
                    o.getInteger("maxWaitQueue", RegisterSettings.DEFAULT_MAX_WAIT_QUEUE),
                    o.getInteger("maxResponseBytes", RegisterSettings.DEFAULT_MAX_RESPONSE_BYTES),
                    transport(r, o, url, dialect, base)));
        }
        return registers;
    }

    /** Printable text: no control or bidi characters (it goes into every answer). */
    private static final Pattern CONTACT_TEXT = Pattern.compile("[\\p{L}\\p{N} '&(),./:;+-]{2,120}");
    private static final Pattern TELEPHONE = Pattern.compile("\\+?[0-9][0-9 ()-]{5,23}");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(\\.[A-Za-z0-9-]{1,63})+");

    /**
     * Each register's advice contact (F6), when configured: team, office-hours and out-of-hours
     * telephone, secure email; all four (the schema), each well-formed (here). A register without
     * one is allowed (the answer then carries no contact for it) and said so at start-up.
     */
    private static Map<String, RegisterContact> contacts(Place p, JsonArray registers) {
        Map<String, RegisterContact> contacts = new LinkedHashMap<>();
        for (int i = 0; i < registers.size(); i++) {
            JsonObject o = registers.getJsonObject(i);
            JsonObject contact = o.getJsonObject("contact");
            if (contact == null) {
                LOG.warn("register {} has no contact: its answers will not say whom to call (F6)", o.getString("authority"));
                continue;
            }
            Place c = p.index(i).child("contact");
            String team = contact.getString("team");
            if (!CONTACT_TEXT.matcher(team).matches()) {
                throw c.child("team").problem("must be 2 to 120 letters, digits, spaces and ordinary punctuation");
            }
            for (String phone : List.of("officeHours", "outOfHours")) {
                if (!TELEPHONE.matcher(contact.getString(phone)).matches()) {
                    throw c.child(phone).problem("must be a telephone number like '01632 960123'");
                }
            }
            String email = contact.getString("email");
            if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
                throw c.child("email").problem("must be an email address like 'cp-advice@leeds.example.org'");
            }
            contacts.put(o.getString("authority"),
                    new RegisterContact(team, contact.getString("officeHours"), contact.getString("outOfHours"), email));
        }
        return contacts;
    }

    /**
     * The register's options with how it is reached (issue 17): mutual TLS files (checked
     * readable now) and the key that verifies its signed answers (read now, as PEM). A plain
     * http register only where its entry says {@code "insecure": true}, with a warning.
     */
    private static JsonObject transport(Place r, JsonObject o, URI url, String dialect, Path base) {
        JsonObject options = o.getJsonObject("options", new JsonObject()).copy();
        boolean insecure = o.getBoolean("insecure", false);
        if ("http".equals(url.getScheme())) {
            if (!insecure) {
                throw r.child("baseUrl").problem("a plain http register needs \"insecure\": true (use https with tls)");
            }
            LOG.warn("register reached over plain HTTP (\"insecure\": true): authority={}; use https with tls "
                    + "outside a test", o.getString("authority"));
        }
        Object http2 = o.getValue("http2");
        if (http2 != null && !Boolean.FALSE.equals(http2)) {
            // issue 21: HTTP/2 to a register that supports it, chosen per register
            if (RegisterHttpClients.PRIOR_KNOWLEDGE.equals(http2) && !"http".equals(url.getScheme())) {
                throw r.child("http2").problem("prior-knowledge is for a plain http register (use alpn with https)");
            }
            if (RegisterHttpClients.ALPN.equals(http2) && !"https".equals(url.getScheme())) {
                throw r.child("http2").problem("alpn needs an https baseUrl");
            }
            options.put(RegisterHttpClients.HTTP2_OPTION, http2);
        }
        JsonObject tls = o.getJsonObject("tls");
        if (tls != null) {
            Place t = r.child("tls");
            if (!"https".equals(url.getScheme())) {
                throw t.problem("tls needs an https baseUrl");
            }
            JsonObject files = new JsonObject();
            for (String key : List.of("caFile", "certFile", "keyFile")) {
                if (tls.containsKey(key)) {
                    files.put(key, readable(t.child(key), base, tls.getString(key)).toString());
                }
            }
            if (files.containsKey("certFile") != files.containsKey("keyFile")) {
                throw t.problem("certFile and keyFile go together");
            }
            if (files.containsKey("keyFile")) {
                String open = PrivateKeyFiles.problem(Path.of(files.getString("keyFile")));
                if (open != null) {
                    throw t.child("keyFile").problem(open);
                }
            }
            files.put("reloadCheckMs", tls.getInteger("reloadCheckMs", 10_000));
            options.put("tls", files);
        }
        if (o.containsKey("answerKeyFile")) {
            Path key = readable(r.child("answerKeyFile"), base, o.getString("answerKeyFile"));
            String pem;
            try {
                pem = Files.readString(key, java.nio.charset.StandardCharsets.US_ASCII);
                uk.wycps.connector.proof.AnswerSignature.publicKey(pem);
            } catch (java.io.IOException | IllegalArgumentException e) {
                throw r.child("answerKeyFile").problem("not an EC public key in PEM");
            }
            if (!"canonical-json".equals(dialect)) {
                throw r.child("answerKeyFile").problem("signed answers come from a register adapter (canonical-json)");
            }
            options.put(uk.wycps.connector.canonicaljson.CanonicalJsonConnector.ANSWER_KEY_OPTION, pem);
        }
        return options;
    }

    private static GatewayConfig.Audit audit(Place p, JsonObject o, Path base) {
        GatewayConfig.Postgres postgres = o.containsKey("postgres")
                ? postgres(p.child("postgres"), o.getJsonObject("postgres"), base) : null;
        // With PostgreSQL the directory is optional (the audit is in the database).
        Path directory = o.containsKey("directory") ? base.resolve(o.getString("directory")) : null;
        if (postgres != null && !o.containsKey("signingKeyFile")) {
            // Every node signs checkpoints of the one shared chain: they need the same key, from a file.
            throw p.problem("with audit.postgres, signingKeyFile and verificationKeyFile are required "
                    + "(every node signs the shared chain with the same key)");
        }
        Path signing = null;
        Path verification = null;
        if (o.containsKey("signingKeyFile")) {
            signing = readable(p.child("signingKeyFile"), base, o.getString("signingKeyFile"));
            verification = readable(p.child("verificationKeyFile"), base, o.getString("verificationKeyFile"));
        }
        int every = o.getInteger("checkpointEvery", FileAuditSink.DEFAULT_CHECKPOINT_EVERY);
        Map<String, Integer> retention = new LinkedHashMap<>();
        int defaultRetention = GatewayConfig.Audit.DEFAULT_RETENTION_DAYS;
        JsonObject days = o.getJsonObject("retentionDays", new JsonObject());
        for (String key : days.fieldNames()) {
            if ("default".equals(key)) {
                defaultRetention = days.getInteger(key);
            } else {
                retention.put(key, days.getInteger(key));
            }
        }
        return new GatewayConfig.Audit(directory, signing, verification, every, retention, defaultRetention, postgres);
    }

    /** {@code audit.postgres}: shapes in the schema; here what a schema cannot say. */
    private static GatewayConfig.Postgres postgres(Place p, JsonObject o, Path base) {
        String uri = o.getString("uri");
        try {
            io.vertx.pgclient.PgConnectOptions.fromUri(uri);
        } catch (RuntimeException e) {
            throw p.child("uri").problem("not a PostgreSQL URI");
        }
        if (holdsCredentials(uri)) {
            // Never echoed: the value may hold a password.
            throw p.child("uri").problem("must not hold credentials: give user and passwordFile");
        }
        Path passwordFile = secret(p.child("passwordFile"), base, o.getString("passwordFile"));
        String node = o.getString("node", defaultNode());
        int lease = o.getInteger("outboxLeaseSeconds", GatewayConfig.Postgres.DEFAULT_LEASE_SECONDS);
        return new GatewayConfig.Postgres(uri, o.getString("user"), passwordFile, node, Duration.ofSeconds(lease));
    }

    /**
     * A user part ({@code user[:password]@}) before the host, or a {@code user} or {@code password}
     * parameter, both of which the PostgreSQL client would take from the URI.
     */
    static boolean holdsCredentials(String uri) {
        String rest = uri.substring(uri.indexOf("//") + 2);
        int query = rest.indexOf('?');
        int path = rest.indexOf('/');
        int hostEnd = Math.min(query < 0 ? rest.length() : query, path < 0 ? rest.length() : path);
        if (rest.substring(0, hostEnd).contains("@")) {
            return true;
        }
        if (query >= 0) {
            for (String parameter : rest.substring(query + 1).split("&")) {
                String name = parameter.contains("=") ? parameter.substring(0, parameter.indexOf('=')) : parameter;
                if (name.equalsIgnoreCase("user") || name.equalsIgnoreCase("password")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String defaultNode() {
        try {
            String host = java.net.InetAddress.getLocalHost().getHostName();
            return host.matches("[A-Za-z0-9._-]{1,63}") ? host : "node";
        } catch (java.net.UnknownHostException e) {
            return "node";
        }
    }

    private static Path readable(Place p, Path base, String value) {
        Path f = base.resolve(value);
        if (!Files.isReadable(f)) {
            throw p.problem("cannot read " + f);
        }
        return f;
    }

    /**
     * A file holding a secret (a password, a client secret): readable, and its owner's alone as
     * a private key is, since whoever else could read it could act as the gateway.
     */
    private static Path secret(Place p, Path base, String value) {
        Path f = readable(p, base, value);
        String open = PrivateKeyFiles.problem(f);
        if (open != null) {
            throw p.problem(open);
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
    }
}
