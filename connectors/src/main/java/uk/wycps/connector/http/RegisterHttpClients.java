package uk.wycps.connector.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import uk.wycps.connector.RegisterSettings;

/** Builds the HTTP client of one register, its pool sized explicitly from the settings. */
public final class RegisterHttpClients {

    private RegisterHttpClients() {
    }

    /**
     * A client for the register's base URL. The pool is sized per register with a bounded wait
     * queue: the default of five connections would throttle a fan-out silently.
     */
    public static HttpClientAgent create(Vertx vertx, RegisterSettings settings) {
        String scheme = settings.baseUrl().getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("register '" + settings.authority()
                    + "': baseUrl must be http or https, not " + scheme);
        }
        boolean tls = "https".equals(scheme);
        int port = settings.baseUrl().getPort() > 0 ? settings.baseUrl().getPort() : tls ? 443 : 80;
        HttpClientOptions options = new HttpClientOptions()
                .setDefaultHost(settings.baseUrl().getHost())
                .setDefaultPort(port)
                .setSsl(tls)
                .setKeepAlive(true)
                .setMaxRedirects(0)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.deadline().toMillis()))
                .setIdleTimeout(60)
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                .setMaxInitialLineLength(4096)
                .setMaxHeaderSize(16 * 1024);
        RegisterTls.Files tlsFiles = RegisterTls.of(settings);
        if (tlsFiles != null) {
            if (!tls) {
                throw new IllegalArgumentException("register '" + settings.authority() + "': tls needs an https baseUrl");
            }
            RegisterTls.apply(options, tlsFiles);
        }
        String http2 = http2(settings);
        if (PRIOR_KNOWLEDGE.equals(http2)) {
            if (tls) {
                throw new IllegalArgumentException("register '" + settings.authority()
                        + "': http2 prior-knowledge is for a plain http register (use alpn with https)");
            }
            // h2c with prior knowledge: the first bytes are HTTP/2's preface, no upgrade round trip
            options.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
        } else if (ALPN.equals(http2)) {
            if (!tls) {
                throw new IllegalArgumentException("register '" + settings.authority() + "': http2 alpn needs an https baseUrl");
            }
            // offered h2 then http/1.1 in the TLS handshake: the register chooses
            options.setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true);
        }
        PoolOptions pool = new PoolOptions()
                .setHttp1MaxSize(settings.maxConnections())
                // Over HTTP/2 one connection carries many searches (as many as the register's
                // SETTINGS_MAX_CONCURRENT_STREAMS); another opens only when those are all in use.
                .setHttp2MaxSize(settings.maxConnections())
                .setMaxWaitQueueSize(settings.maxWaitQueue());
        return vertx.createHttpClient(options, pool);
    }

    /**
     * How long a pooled connection to a register may stay unused before it is closed (Vert.x's
     * default is 60 s). Vert.x 5's pool looks at every pooled connection for every request (its
     * selector walks the whole list), so connections left over from a burst cost CPU on every
     * search until they close: at 150 registers that walk was 18 % of the gateway's CPU while a
     * start-up burst's connections lived on (docs/performance.md). A search takes the newest free
     * connection, so a steady load keeps the same few busy and the rest of a burst's go idle and close.
     */
    public static final int KEEP_ALIVE_SECONDS = 10;

    /** {@code registers[].http2}: HTTP/2 over plain http with prior knowledge (h2c). */
    public static final String PRIOR_KNOWLEDGE = "prior-knowledge";
    /** {@code registers[].http2}: HTTP/2 over TLS when the register offers it in ALPN, else HTTP/1.1. */
    public static final String ALPN = "alpn";
    /** The option holding {@code registers[].http2} when it is not false. */
    public static final String HTTP2_OPTION = "http2";

    /** The register's HTTP/2 setting: {@link #PRIOR_KNOWLEDGE}, {@link #ALPN}, or null for HTTP/1.1. */
    public static String http2(RegisterSettings settings) {
        Object value = settings.options().getValue(HTTP2_OPTION);
        if (value == null || Boolean.FALSE.equals(value)) {
            return null;
        }
        if (PRIOR_KNOWLEDGE.equals(value) || ALPN.equals(value)) {
            return (String) value;
        }
        throw new IllegalArgumentException("register '" + settings.authority()
                + "': http2 must be \"prior-knowledge\", \"alpn\" or false");
    }

    /** The base URL's path without a trailing slash, to prefix dialect paths with. */
    public static String basePath(RegisterSettings settings) {
        String path = settings.baseUrl().getRawPath();
        if (path == null || path.isEmpty() || "/".equals(path)) {
            return "";
        }
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
