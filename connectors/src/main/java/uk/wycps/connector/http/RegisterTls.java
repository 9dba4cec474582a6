package uk.wycps.connector.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import uk.wycps.connector.RegisterSettings;

/**
 * Mutual TLS to a register (issue 17, H1): the register's certificate must chain to the
 * configured CA (and nothing else: the JVM's default trust store is not used) and name the host
 * in the base URL; the gateway presents its own client certificate. Certificates are re-read
 * when their files change, without a restart: new connections use the new ones, connections
 * already open keep theirs until they close.
 *
 * <p>Configured per register as {@code "tls": {"caFile": ..., "certFile": ..., "keyFile": ...}}
 * (PEM); {@code options.tls} of {@link RegisterSettings}.
 */
public final class RegisterTls {

    /** TLS 1.2 and 1.3 only. */
    public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    /** How often the certificate files are looked at, by default. */
    public static final long DEFAULT_RELOAD_CHECK_MS = 10_000;

    /** The PEM files of one register's TLS; {@code certFile} and {@code keyFile} come together or not at all. */
    public record Files(String caFile, String certFile, String keyFile) {

        public Files {
            if ((certFile == null) != (keyFile == null)) {
                throw new IllegalArgumentException("tls.certFile and tls.keyFile go together");
            }
        }

        List<String> all() {
            List<String> paths = new ArrayList<>();
            for (String p : new String[] {caFile, certFile, keyFile}) {
                if (p != null) {
                    paths.add(p);
                }
            }
            return paths;
        }
    }

    private RegisterTls() {
    }

    /** The register's TLS files, or null when none are configured. */
    public static Files of(RegisterSettings settings) {
        JsonObject tls = settings.options().getJsonObject("tls");
        if (tls == null) {
            return null;
        }
        return new Files(tls.getString("caFile"), tls.getString("certFile"), tls.getString("keyFile"));
    }

    /** Sets the client's trust, identity, host name check and protocols from {@code files}. */
    static void apply(HttpClientOptions options, Files files) {
        options.setSsl(true).setVerifyHost(true).setEnabledSecureTransportProtocols(PROTOCOLS);
        if (files.caFile() != null) {
            options.setTrustOptions(new PemTrustOptions().addCertPath(files.caFile()));
        }
        if (files.certFile() != null) {
            options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(files.certFile()).setKeyPath(files.keyFile()));
        }
    }

    /**
     * The same settings as {@link #apply}, for {@code updateSSLOptions}, holding the files'
     * contents rather than their paths. Vert.x 5's client ignores {@code force} and keeps one
     * TLS context per distinct options value: options naming the same paths as before are equal
     * to them, so the client would go on presenting the old certificate to every new connection
     * (found by RegisterAdapterTest's rotation through a new CA). Contents differ when a file does.
     */
    static ClientSSLOptions sslOptions(Buffer ca, Buffer cert, Buffer key) {
        ClientSSLOptions options = new ClientSSLOptions().setHostnameVerificationAlgorithm("HTTPS")
                .setEnabledSecureTransportProtocols(PROTOCOLS);
        if (ca != null) {
            options.setTrustOptions(new PemTrustOptions().addCertValue(ca));
        }
        if (cert != null) {
            options.setKeyCertOptions(new PemKeyCertOptions().setCertValue(cert).setKeyValue(key));
        }
        return options;
    }

    /**
     * Looks at the files every {@code periodMs} (asynchronously: the event loop never waits on
     * the disk) and, when one has changed, reads them and gives the client the new certificates
     * for its new connections. Returns the timer, to cancel on close.
     */
    static long watch(Vertx vertx, HttpClientAgent client, Files files, long periodMs) {
        String[] seen = {null};
        FileFingerprint.of(vertx, files.all()).onSuccess(f -> seen[0] = f);
        return vertx.setPeriodic(periodMs, periodMs, id -> FileFingerprint.of(vertx, files.all()).onSuccess(now -> {
            if (seen[0] != null && !seen[0].equals(now)) {
                Future.all(read(vertx, files.caFile()), read(vertx, files.certFile()), read(vertx, files.keyFile()))
                        .compose(all -> client.updateSSLOptions(sslOptions(all.resultAt(0), all.resultAt(1),
                                all.resultAt(2)), true));
            }
            seen[0] = now;
        }));
    }

    private static Future<Buffer> read(Vertx vertx, String path) {
        return path == null ? Future.succeededFuture(null) : vertx.fileSystem().readFile(path);
    }
}
