package uk.wycps.gateway.enquiry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static uk.wycps.gateway.support.Answers.await;
import static uk.wycps.gateway.support.ErrorBodies.assertError;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.support.FederationHarness;
import uk.wycps.gateway.support.GatewayHarness;
import uk.wycps.mock.SyntheticPopulation;

/**
 * Verifies that an enquiry fails closed when its audit entry cannot be written (H1): 503 and
 * nothing of the child. Its own federation and audit sink, switched to failing, so that no
 * other test shares that state.
 */
@ExtendWith(VertxExtension.class)
class AuditUnavailableTest {

    @Test
    void enquiryFailsClosedWith503WhenTheAuditCannotBeWritten(Vertx vertx) throws Exception {
        // GIVEN a gateway whose audit cannot be written
        InMemoryAuditSink audit = new InMemoryAuditSink();
        FederationHarness federation = await(FederationHarness.start(vertx, audit));
        try {
            SyntheticPopulation.CrossBoundaryExample child = federation.mocks.population().crossBoundaryExample();
            String token = federation.gateway.issuer.token("child-worker", "social-services", "bradford",
                    "cross-authority:*");
            audit.failing(true);
            // WHEN a child that several registers hold is enquired about
            HttpResponse<Buffer> r = await(federation.gateway.enquire(token, GatewayHarness.enquiry(child.givenName(),
                    child.familyName(), child.dateOfBirth().toString())));
            // THEN 503 and no data leaves without its audit
            assertError(r, 503, "audit-unavailable");
            assertFalse(r.bodyAsString().contains(child.familyName()), "no data leaves without its audit (H1)");
        } finally {
            await(federation.close());
        }
    }
}
