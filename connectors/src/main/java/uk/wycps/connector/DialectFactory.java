package uk.wycps.connector;

import io.vertx.core.Vertx;
import java.util.function.BiFunction;

/**
 * A {@link RegisterConnectorFactory} that is a dialect name and a constructor, which is all the
 * built-in dialects need: a subclass only names both (and has the public no-argument
 * constructor {@link java.util.ServiceLoader} calls).
 */
public abstract class DialectFactory implements RegisterConnectorFactory {

    private final String dialect;
    private final BiFunction<Vertx, RegisterSettings, RegisterConnector> constructor;

    protected DialectFactory(String dialect, BiFunction<Vertx, RegisterSettings, RegisterConnector> constructor) {
        this.dialect = dialect;
        this.constructor = constructor;
    }

    @Override
    public final String dialect() {
        return dialect;
    }

    @Override
    public final RegisterConnector create(Vertx vertx, RegisterSettings settings) {
        return constructor.apply(vertx, settings);
    }
}
