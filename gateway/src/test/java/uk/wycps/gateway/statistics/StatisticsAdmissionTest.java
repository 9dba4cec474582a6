package uk.wycps.gateway.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static uk.wycps.gateway.support.Answers.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.gateway.support.GatewayHarness;
import uk.wycps.mock.MockFederation;
import uk.wycps.mock.MockOptions;
import uk.wycps.mock.MockRegister;
import uk.wycps.mock.MockRegisters;

/**
 * Statistics are admitted as enquiries are (T1: each caller is limited): each request asks every
 * register for a whole aggregation, and without a limit one planner could load them all at will,
 * or keep an answer partial on demand (a register rejected) to compare with a whole one.
 */
@ExtendWith(VertxExtension.class)
class StatisticsAdmissionTest {

    @Test
    void aPlannerOverTheirRateIsRefusedAndAnotherIsAnswered(Vertx vertx) throws Exception {
        MockFederation mocks = await(MockRegisters.start(vertx, MockOptions.defaults().withAuthorityDialects()
                .withEphemeralPorts()));
        List<RegisterSettings> registers = mocks.registers().stream().map(MockRegister::connectorSettings).toList();
        // GIVEN one statistics request or enquiry a minute for each caller
        GatewayHarness gateway = await(GatewayHarness.start(vertx, registers, new InMemoryAuditSink(),
                c -> c.withLimits(new GatewayConfig.Limits(0, new GatewayConfig.Rate(1, 1), null, null, 0))));
        try {
            String planner = gateway.issuer.tokenAs("planner-1", "performance-quality", "social-services", "leeds");
            // WHEN a planner asks twice
            assertEquals(200, await(statistics(gateway, planner)).statusCode());
            HttpResponse<Buffer> second = await(statistics(gateway, planner));
            // THEN the second is refused as an enquiry over the rate is, saying when to try again
            assertEquals(429, second.statusCode(), second.bodyAsString());
            assertEquals("too-many-requests", second.bodyAsJsonObject().getString("error"));
            assertNotNull(second.getHeader("Retry-After"));
            // AND another planner is answered: the limit is each caller's
            String other = gateway.issuer.tokenAs("planner-2", "performance-quality", "social-services", "leeds");
            assertEquals(200, await(statistics(gateway, other)).statusCode());
        } finally {
            await(gateway.close());
            await(mocks.close());
        }
    }

    private static io.vertx.core.Future<HttpResponse<Buffer>> statistics(GatewayHarness gateway, String token) {
        return gateway.client.get("/api/v1/statistics?purpose=planning&asOf=2025-12-31").bearerTokenAuthentication(token)
                .send();
    }
}
