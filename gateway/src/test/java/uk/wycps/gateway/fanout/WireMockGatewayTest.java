package uk.wycps.gateway.fanout;

import io.vertx.core.Future;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.gateway.support.GatewayHarness;

/**
 * The shape shared by tests of one gateway at a time over the five WireMock registers: the
 * registers live for the test class and are all healthy again before each test (a test sets its
 * faults after that); the gateway a test starts, through {@link #keep}, is closed after it.
 */
@ExtendWith(VertxExtension.class)
public abstract class WireMockGatewayTest {

    protected static WireMockRegisters registers;
    protected GatewayHarness gateway;

    @BeforeAll
    static void startRegisters() {
        registers = new WireMockRegisters(true);
    }

    @AfterAll
    static void stopRegisters() {
        registers.close();
    }

    @BeforeEach
    void allHealthy() {
        WireMockRegisters.AUTHORITIES.forEach(registers::healthy);
    }

    @AfterEach
    void stopGateway(VertxTestContext ctx) {
        if (gateway == null) {
            ctx.completeNow();
            return;
        }
        gateway.close().onComplete(ctx.succeedingThenComplete());
    }

    /** {@code started}, kept to be closed once the test is over. */
    protected Future<GatewayHarness> keep(Future<GatewayHarness> started) {
        return started.onSuccess(g -> gateway = g);
    }
}
