package uk.wycps.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.atomic.AtomicInteger;
import uk.wycps.gateway.console.ConsoleTemplates;
import uk.wycps.gateway.fanout.RegisterGuards;
import uk.wycps.gateway.fanout.Registers;
import uk.wycps.gateway.tls.ServerTls;

/**
 * One event loop's share of the gateway: its own HTTP server (Vert.x spreads connections over
 * the instances sharing the port) and its own connectors, so a register's connections are used
 * on the event loop that owns them. The {@link SharedParts} are shared and thread-safe; what is
 * built from them is built in {@link Wiring}.
 */
final class GatewayVerticle extends VerticleBase {

    private final SharedParts shared;
    private final AtomicInteger boundPort;
    private final AtomicInteger managementPort;
    private Registers registers;
    private ServerTls tls;

    /** {@code boundPort} and {@code managementPort} receive the ports the first instance listens on. */
    GatewayVerticle(SharedParts shared, AtomicInteger boundPort, AtomicInteger managementPort) {
        this.shared = shared;
        this.boundPort = boundPort;
        this.managementPort = managementPort;
    }

    @Override
    public Future<?> start() {
        registers = Registers.connect(vertx, shared.config().registers());
        // One breaker and bulkhead per register for the whole deployment, not one per event loop.
        RegisterGuards guards = RegisterGuards.shared(vertx, context.deploymentID(), shared.config().registers());
        HttpServerOptions options = Wiring.serverOptions(shared.config().http());
        return ConsoleTemplates.create(vertx)
                .compose(templates -> ServerTls.configure(vertx, shared.config().http().tls(), options)
                .compose(watcher -> {
                    tls = watcher;
                    return vertx.createHttpServer(options)
                            .requestHandler(Wiring.routes(vertx, shared, registers, guards, templates))
                            .listen()
                            .onSuccess(s -> {
                                boundPort.compareAndSet(0, s.actualPort());
                                watcher.watch(s);
                            });
                }))
                .compose(s -> vertx.createHttpServer(Wiring.managementOptions(shared.config()))
                        .requestHandler(Wiring.management(vertx, shared, registers, guards))
                        .listen())
                .onSuccess(s -> managementPort.compareAndSet(0, s.actualPort()));
    }

    @Override
    public Future<?> stop() {
        if (tls != null) {
            tls.stop();
        }
        RegisterGuards.release(vertx, context.deploymentID());
        return registers == null ? Future.succeededFuture() : registers.close();
    }
}
