package uk.wycps.gateway.config;

/** Configuration that cannot be used: start-up stops with this message (O2). */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
