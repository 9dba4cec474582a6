package uk.wycps.gateway.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.audit.AuditSink;
import uk.wycps.mock.MockFederation;
import uk.wycps.mock.MockOptions;
import uk.wycps.mock.MockRegister;
import uk.wycps.mock.MockRegisters;

/** The five mock registers on ephemeral loopback ports, and a gateway in front of them. */
public final class FederationHarness {

    public static final int CHILDREN = 200;

    public final MockFederation mocks;
    public final GatewayHarness gateway;

    private FederationHarness(MockFederation mocks, GatewayHarness gateway) {
        this.mocks = mocks;
        this.gateway = gateway;
    }

    public static Future<FederationHarness> start(Vertx vertx, AuditSink audit) {
        return start(vertx, audit, java.util.function.UnaryOperator.identity());
    }

    /** A federation whose registers' connector settings are first passed through {@code adjust}. */
    public static Future<FederationHarness> start(Vertx vertx, AuditSink audit,
                                                  java.util.function.UnaryOperator<RegisterSettings> adjust) {
        return MockRegisters.start(vertx, MockOptions.defaults().withAuthorityDialects().withChildrenPerRegister(CHILDREN).withEphemeralPorts())
                .compose(mocks -> {
                    List<RegisterSettings> registers = new ArrayList<>();
                    for (MockRegister r : mocks.registers()) {
                        registers.add(adjust.apply(r.connectorSettings()));
                    }
                    return GatewayHarness.start(vertx, registers, audit).map(g -> new FederationHarness(mocks, g));
                });
    }

    /** A federation whose gateway traces through {@code telemetry} (whose Vert.x {@code vertx} is). */
    public static Future<FederationHarness> start(Vertx vertx, AuditSink audit, uk.wycps.gateway.tracing.Telemetry telemetry) {
        return MockRegisters.start(vertx, MockOptions.defaults().withAuthorityDialects().withChildrenPerRegister(CHILDREN).withEphemeralPorts())
                .compose(mocks -> {
                    List<RegisterSettings> registers = new ArrayList<>();
                    for (MockRegister r : mocks.registers()) {
                        registers.add(r.connectorSettings());
                    }
                    return GatewayHarness.start(vertx, registers, audit, telemetry).map(g -> new FederationHarness(mocks, g));
                });
    }

    public Future<Void> close() {
        return gateway.close().compose(v -> mocks.close());
    }
}
