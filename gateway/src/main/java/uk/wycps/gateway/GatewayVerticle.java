package uk.wycps.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.concurrent.atomic.AtomicInteger;
import uk.wycps.gateway.fanout.RegisterGuards;
import uk.wycps.gateway.fanout.Registers;

/**
 * One event loop's share of the gateway: its own HTTP server (Vert.x spreads connections over
 * the instances sharing the port) and its own connectors, so a register's connections are used
 * on the event loop that owns them. The {@link SharedParts} are shared and thread-safe; what is
 * built from them is built in {@link Wiring}.
 */
final class GatewayVerticle extends VerticleBase {

    private final SharedParts shared;
    private final AtomicInteger boundPort;
    private Registers registers;

    /** {@code boundPort} receives the port the first instance listens on. */
    GatewayVerticle(SharedParts shared, AtomicInteger boundPort) {
        this.shared = shared;
        this.boundPort = boundPort;
    }

    @Override
    public Future<?> start() {
        registers = Registers.connect(vertx, shared.config().registers());
        // One breaker and bulkhead per register for the whole deployment, not one per event loop.
        RegisterGuards guards = RegisterGuards.shared(vertx, context.deploymentID(), shared.config().registers());
        return vertx.createHttpServer(Wiring.serverOptions(shared.config().http()))
                .requestHandler(Wiring.routes(vertx, shared, registers, guards))
                .listen()
                .onSuccess(s -> boundPort.compareAndSet(0, s.actualPort()));
    }

    @Override
    public Future<?> stop() {
        RegisterGuards.release(vertx, context.deploymentID());
        return registers == null ? Future.succeededFuture() : registers.close();
    }
}
