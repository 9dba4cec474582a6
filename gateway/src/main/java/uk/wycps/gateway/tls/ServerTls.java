package uk.wycps.gateway.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.wycps.gateway.config.GatewayConfig;

/**
 * TLS on the API listener (A1, H1): the PEM certificate chain and key of {@code http.tls}, TLS
 * 1.2 and 1.3 only, HTTP/1.1 only (no ALPN, no cleartext HTTP/2 upgrade). The files are read
 * again every {@code http.tls}'s {@code checkEvery} (10 s); when their digest changes the server takes the new
 * pair for new connections (open ones keep the old one, as TLS has it). A pair that does not
 * load (half-copied, mismatched) is logged and the old one kept, then tried again next time.
 */
public final class ServerTls {

    /** TLS versions offered: 1.0 and 1.1 are broken or deprecated (RFC 8996). */
    public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    private final Vertx vertx;
    private final GatewayConfig.Tls tls;
    private byte[] digest;
    private long timer = -1;

    private ServerTls(Vertx vertx, GatewayConfig.Tls tls) {
        this.vertx = vertx;
        this.tls = tls;
    }

    /**
     * Reads the pair and sets {@code options} for it (TLS, protocols, no HTTP/2). Fails when the
     * files cannot be read; a bad pair then fails the server's {@code listen}, so the start.
     */
    public static Future<ServerTls> configure(Vertx vertx, GatewayConfig.Tls tls, HttpServerOptions options) {
        ServerTls watcher = new ServerTls(vertx, tls);
        options.setHttp2ClearTextEnabled(false);
        if (tls == null) {
            return Future.succeededFuture(watcher);
        }
        return watcher.read().map(pair -> {
            watcher.digest = pair.digest();
            options.setSsl(true).setUseAlpn(false)
                    .setKeyCertOptions(new PemKeyCertOptions().addCertValue(pair.cert()).addKeyValue(pair.key()))
                    .setEnabledSecureTransportProtocols(PROTOCOLS);
            return watcher;
        });
    }

    /** Starts watching the files for {@code server}; nothing to do without TLS. */
    public void watch(HttpServer server) {
        if (tls == null) {
            return;
        }
        timer = vertx.setPeriodic(tls.checkEvery().toMillis(), id -> read()
                .compose(pair -> {
                    if (Arrays.equals(pair.digest(), digest)) {
                        return Future.succeededFuture(false);
                    }
                    // force: the options may be equal (the same paths or values) yet the pair new
                    return server.updateSSLOptions(sslOptions(pair), true).map(updated -> {
                        digest = pair.digest();
                        LOG.info("TLS certificate reloaded: certFile={}", tls.certFile().getFileName());
                        return updated;
                    });
                })
                .onFailure(e -> LOG.warn("TLS certificate not reloaded (the old one is still served): {}",
                        e.getClass().getSimpleName())));
    }

    /** Stops watching. */
    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private record Pair(Buffer cert, Buffer key, byte[] digest) {
    }

    private Future<Pair> read() {
        return vertx.fileSystem().readFile(tls.certFile().toString())
                .compose(cert -> vertx.fileSystem().readFile(tls.keyFile().toString())
                        .map(key -> new Pair(cert, key, digest(cert, key))));
    }

    private static ServerSSLOptions sslOptions(Pair pair) {
        return new ServerSSLOptions()
                .setKeyCertOptions(new PemKeyCertOptions().addCertValue(pair.cert()).addKeyValue(pair.key()))
                .setEnabledSecureTransportProtocols(PROTOCOLS)
                .setUseAlpn(false);
    }

    private static byte[] digest(Buffer cert, Buffer key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(cert.getBytes());
            sha.update(new byte[] {0});
            sha.update(key.getBytes());
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
