package uk.wycps.connector.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
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
                .setMaxInitialLineLength(4096)
                .setMaxHeaderSize(16 * 1024);
        RegisterTls.Files tlsFiles = RegisterTls.of(settings);
        if (tlsFiles != null) {
            if (!tls) {
                throw new IllegalArgumentException("register '" + settings.authority() + "': tls needs an https baseUrl");
            }
            RegisterTls.apply(options, tlsFiles);
        }
        PoolOptions pool = new PoolOptions()
                .setHttp1MaxSize(settings.maxConnections())
                .setMaxWaitQueueSize(settings.maxWaitQueue());
        return vertx.createHttpClient(options, pool);
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
