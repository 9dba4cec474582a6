package uk.wycps.adapter;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.SecretFiles;
import uk.wycps.connector.http.PrivateKeyFiles;
import uk.wycps.record.CanonicalFields;

/**
 * An adapter's configuration, read and checked once at start-up: a wrong key, a missing file or
 * a field that is not canonical stops it with a message naming the key.
 *
 * <pre>{@code
 * {
 *   "authority": "leeds",
 *   "listen": {"host": "0.0.0.0", "port": 9443},
 *   "tls": {"certFile": "adapter.pem", "keyFile": "adapter.key", "clientCaFile": "gateway-ca.pem",
 *           "clientSubject": "CN=wycps-gateway"},
 *   "signingKeyFile": "answer-signing.key",
 *   "register": {"dialect": "sql-jdbc", "baseUrl": "jdbc:...", "deadlineMs": 1500, "options": {...}},
 *   "release": ["recordId", "givenName", "familyName", "dateOfBirth", ...]
 * }
 * }</pre>
 *
 * @param release the authority's ceiling: the canonical fields it releases at all (issue 17, A5)
 * @param signingKeyPem the adapter's EC private key (PKCS#8 PEM) that signs every answer
 * @param tls null only with {@code "insecure": true} (tests on loopback, never a deployment)
 */
public record AdapterConfig(String authority, String host, int port, Tls tls, String signingKeyPem,
        RegisterSettings register, Set<String> release) {

    public AdapterConfig {
        requireMarkWithLocation(release);
        requireIdentity(release);
    }

    /** What the gateway needs of a record to know whether it is the child asked about. */
    static final java.util.List<String> IDENTITY = java.util.List.of("givenName", "familyName", "dateOfBirth");

    /**
     * A ceiling must release the identity fields: a record of an id and facts alone scores
     * nothing against the caller's criteria, so the gateway drops it, and the register, checked
     * and holding the child, reads as "no record" (F5).
     */
    private static void requireIdentity(Set<String> release) {
        java.util.List<String> missing = IDENTITY.stream().filter(f -> !release.contains(f)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("release must name " + String.join(", ", missing)
                    + ": without them the gateway cannot tell the register's records are the child asked about,"
                    + " and a register holding the child would read as no record (F5)");
        }
    }

    private static final Pattern AUTHORITY = Pattern.compile("[a-z][a-z0-9-]{1,39}");
    private static final Set<String> KEYS = Set.of("authority", "listen", "tls", "insecure", "signingKeyFile", "register",
            "release");

    /**
     * The adapter's server identity and whom it serves: only clients whose certificate chains to
     * {@code clientCaFile} (the gateway's issuing CA), and, when {@code clientSubject} is set,
     * only the certificate with exactly that subject (RFC 2253 form).
     */
    public record Tls(String certFile, String keyFile, String clientCaFile, String clientSubject, long reloadCheckMs) {
    }

    /** Reads and checks {@code file}; relative paths in it are taken from the file's folder. */
    public static AdapterConfig load(Path file) throws IOException {
        JsonObject json;
        try {
            json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
        } catch (DecodeException e) {
            throw new IllegalArgumentException(file + " is not a JSON object");
        }
        return from(json, file.toAbsolutePath().getParent());
    }

    static AdapterConfig from(JsonObject json, Path base) throws IOException {
        for (String key : json.fieldNames()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "'");
            }
        }
        String authority = json.getString("authority");
        if (authority == null || !AUTHORITY.matcher(authority).matches()) {
            throw new IllegalArgumentException("authority must be a lower-case authority name");
        }
        JsonObject listen = json.getJsonObject("listen", new JsonObject());
        String host = listen.getString("host", "127.0.0.1");
        int port = listen.getInteger("port", 9443);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listen.port must be 0 to 65535");
        }
        Tls tls = null;
        JsonObject t = json.getJsonObject("tls");
        if (t == null) {
            if (!json.getBoolean("insecure", false)) {
                throw new IllegalArgumentException("tls is required (certFile, keyFile, clientCaFile); plain HTTP only with "
                        + "\"insecure\": true, for tests on loopback");
            }
        } else {
            tls = new Tls(file(base, t, "certFile"), privateKey(file(base, t, "keyFile"), "tls.keyFile"),
                    file(base, t, "clientCaFile"), t.getString("clientSubject"), t.getLong("reloadCheckMs", 10_000L));
        }
        String signingKeyFile = json.getString("signingKeyFile");
        if (signingKeyFile == null) {
            throw new IllegalArgumentException("signingKeyFile is required: every answer is signed");
        }
        Path signingKey = base.resolve(signingKeyFile);
        privateKey(signingKey.toString(), "signingKeyFile");
        String signingKeyPem = Files.readString(signingKey, StandardCharsets.US_ASCII);
        uk.wycps.connector.proof.AnswerSignature.privateKey(signingKeyPem);
        RegisterSettings register = register(authority, json.getJsonObject("register"), base);
        return new AdapterConfig(authority, host, port, tls, signingKeyPem, register, release(json.getJsonArray("release")));
    }

    private static String file(Path base, JsonObject tls, String key) {
        String value = tls.getString(key);
        if (value == null) {
            throw new IllegalArgumentException("tls." + key + " is required");
        }
        Path path = base.resolve(value);
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("tls." + key + ": cannot read " + value);
        }
        return path.toString();
    }

    /** {@code path}, unless others on the machine may read or write it: a key is its owner's alone. */
    private static String privateKey(String path, String setting) {
        String open = PrivateKeyFiles.problem(Path.of(path));
        if (open != null) {
            throw new IllegalArgumentException(setting + ": " + open);
        }
        return path;
    }

    private static RegisterSettings register(String authority, JsonObject r, Path base) {
        if (r == null) {
            throw new IllegalArgumentException("register is required (dialect, baseUrl)");
        }
        String dialect = r.getString("dialect");
        String baseUrl = r.getString("baseUrl");
        if (dialect == null || baseUrl == null) {
            throw new IllegalArgumentException("register.dialect and register.baseUrl are required");
        }
        long deadlineMs = r.getLong("deadlineMs", RegisterSettings.DEFAULT_DEADLINE.toMillis());
        if (deadlineMs < 1 || deadlineMs > 60_000) {
            throw new IllegalArgumentException("register.deadlineMs must be 1 to 60000");
        }
        return new RegisterSettings(authority, dialect, URI.create(baseUrl), Duration.ofMillis(deadlineMs),
                r.getInteger("maxConnections", RegisterSettings.DEFAULT_MAX_CONNECTIONS),
                r.getInteger("maxWaitQueue", RegisterSettings.DEFAULT_MAX_WAIT_QUEUE),
                r.getInteger("maxResponseBytes", RegisterSettings.DEFAULT_MAX_RESPONSE_BYTES),
                registerOptions(r.getJsonObject("options", new JsonObject()), base));
    }

    /** The register's options, its secrets' files made absolute and checked its owner's alone. */
    private static JsonObject registerOptions(JsonObject options, Path base) {
        try {
            return SecretFiles.resolve(options, base);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("register." + e.getMessage());
        }
    }

    private static Set<String> release(JsonArray fields) {
        if (fields == null || fields.isEmpty()) {
            throw new IllegalArgumentException("release must name the canonical fields this authority releases");
        }
        Set<String> known = CanonicalFields.all();
        Set<String> out = new LinkedHashSet<>();
        out.add(CanonicalFields.RECORD_ID);
        for (int i = 0; i < fields.size(); i++) {
            String f = fields.getString(i);
            if (!known.contains(f)) {
                throw new IllegalArgumentException("release[" + i + "]: '" + f + "' is not a canonical field");
            }
            out.add(f);
        }
        return Set.copyOf(out);
    }

    /**
     * A ceiling that releases a location field must release the shielded mark with it: without
     * the mark the gateway could not tell a shielded child's record, and its address would leave
     * the authority (A10). Checked here, on every way an adapter is configured.
     */
    private static void requireMarkWithLocation(Set<String> release) {
        if (!release.contains(CanonicalFields.SHIELDED) && CanonicalFields.location().stream().anyMatch(release::contains)) {
            throw new IllegalArgumentException("release names a location field ("
                    + String.join(", ", CanonicalFields.location().stream().filter(release::contains).toList())
                    + ") but not shielded: a shielded child's location would leave without its mark (A10)");
        }
    }
}
