package uk.wycps.gateway.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.nio.file.Path;
import uk.wycps.connector.http.PrivateKeyFiles;
import uk.wycps.gateway.config.ConfigException;
import uk.wycps.gateway.config.GatewayConfig;

/**
 * TLS on the API listener (A1, H1): the PEM certificate chain and key of {@code http.tls}, TLS
 * 1.2 and 1.3 only, HTTP/1.1 only (no ALPN, no cleartext HTTP/2 upgrade). The files are read
 * again every {@code http.tls}'s {@code checkEvery} (10 s); when their digest changes the server takes the new
 * pair for new connections (open ones keep the old one, as TLS has it). A pair that does not
 * load or does not match (half-copied, one file replaced and not yet the other) is logged and
 * the old one kept, then tried again next time.
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
     * Reads the pair and sets {@code options} for it (TLS, protocols, no HTTP/2). Fails, and so
     * the start, when the files cannot be read or the key is not the certificate's.
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
                        e instanceof ConfigException ? e.getMessage() : e.getClass().getSimpleName())));
    }

    /** Stops watching. */
    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    record Pair(Buffer cert, Buffer key, byte[] digest) {
    }

    /**
     * Reads both files and checks that the key is the certificate's: the two files are replaced
     * one after the other, and a certificate served with another key breaks every handshake
     * (Vert.x takes such a pair without a word).
     */
    private Future<Pair> read() {
        return vertx.executeBlocking(() -> {
                    refuseKeyOpenToOthers(tls.keyFile());
                    return null;
                })
                .compose(v -> vertx.fileSystem().readFile(tls.certFile().toString()))
                .compose(cert -> vertx.fileSystem().readFile(tls.keyFile().toString())
                        .map(key -> new Pair(cert, key, digest(cert, key))))
                .compose(pair -> Arrays.equals(pair.digest(), digest) ? Future.succeededFuture(pair)
                        : vertx.executeBlocking(() -> {
                            matching(vertx, pair);
                            return pair;
                        }));
    }

    /**
     * Refuses a private key that group or others may read or write (H1, as the audit signing
     * key): anyone else on the machine could then impersonate the gateway to its callers. At
     * start-up this stops the start; on a reload the old pair stays.
     */
    static void refuseKeyOpenToOthers(Path keyFile) throws java.io.IOException {
        String open = PrivateKeyFiles.problem(keyFile);
        if (open != null) {
            throw new ConfigException("$.http.tls.keyFile " + open);
        }
    }

    /** Fails unless the pair parses and its private key signs what the certificate's public key verifies. */
    static void matching(Vertx vertx, Pair pair) throws Exception {
        KeyManagerFactory factory = new PemKeyCertOptions().addCertValue(pair.cert()).addKeyValue(pair.key())
                .getKeyManagerFactory(vertx);
        X509KeyManager manager = null;
        for (KeyManager m : factory.getKeyManagers()) {
            if (m instanceof X509KeyManager x) {
                manager = x;
            }
        }
        String alias = null;
        for (String type : new String[] {"EC", "RSA"}) {
            String[] aliases = manager == null ? null : manager.getServerAliases(type, null);
            if (aliases != null && aliases.length > 0) {
                alias = aliases[0];
            }
        }
        if (alias == null) {
            throw new GeneralSecurityException("no certificate and key");
        }
        PrivateKey key = manager.getPrivateKey(alias);
        X509Certificate[] chain = manager.getCertificateChain(alias);
        String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] probe = "wycps-tls-pair-check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(chain[0].getPublicKey());
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException("the key is not the certificate's");
        }
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
