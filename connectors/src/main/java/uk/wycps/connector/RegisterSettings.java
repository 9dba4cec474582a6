package uk.wycps.connector;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach one register: validated configuration handed to a
 * {@link RegisterConnectorFactory}. {@code options} holds dialect-specific settings.
 */
public record RegisterSettings(
        String authority,
        String dialect,
        URI baseUrl,
        Duration deadline,
        int maxConnections,
        int maxWaitQueue,
        int maxResponseBytes,
        JsonObject options) {

    public static final Duration DEFAULT_DEADLINE = Duration.ofMillis(2000);
    public static final int DEFAULT_MAX_CONNECTIONS = 64;
    public static final int DEFAULT_MAX_WAIT_QUEUE = 256;
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

    public RegisterSettings {
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(deadline, "deadline");
        options = options == null ? new JsonObject() : options.copy();
    }

    /** These settings with {@code other} as the register's deadline. */
    public RegisterSettings withDeadline(Duration other) {
        return new RegisterSettings(authority, dialect, baseUrl, other, maxConnections, maxWaitQueue, maxResponseBytes,
                options);
    }

    /** Settings with the defaults, for a register at {@code baseUrl}. */
    public static RegisterSettings of(String authority, String dialect, URI baseUrl) {
        return new RegisterSettings(authority, dialect, baseUrl, DEFAULT_DEADLINE,
                DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_WAIT_QUEUE, DEFAULT_MAX_RESPONSE_BYTES, null);
    }
}
