package uk.wycps.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static uk.wycps.gateway.console.ConsoleHarness.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.By;
import uk.wycps.gateway.Gateway;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.config.GatewayConfig;

/**
 * Sign-in under {@code serve} (issue 16, A1): OpenID Connect's authorisation code flow with
 * PKCE against a provider the test starts, in Chromium. The practitioner's role, agency,
 * authority and grants come from the verified ID token; a token signed with a key the issuer
 * does not publish, or a callback the browser did not start, signs nobody in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleOidcBrowserTest {

    private Vertx vertx;
    private TestOpenIdProvider idp;
    private Gateway gateway;
    private Browser browser;
    private String base;

    @BeforeAll
    void start() throws Exception {
        vertx = Vertx.vertx();
        idp = await(new TestOpenIdProvider(vertx).start(vertx));
        // The redirect address is configured before the gateway starts, so its port is found
        // first (the system's choice, free at that moment).
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        base = "http://127.0.0.1:" + port;
        Path outbox = Files.createTempDirectory("wycps-oidc-outbox");
        GatewayConfig config = new GatewayConfig(new GatewayConfig.Http("127.0.0.1", port,
                GatewayConfig.Http.DEFAULT_MAX_BODY_BYTES, 30),
                new GatewayConfig.Auth(idp.issuer(), GatewayConfig.Auth.DEFAULT_AUDIENCE,
                        List.of(new GatewayConfig.VerificationKey("ES256", idp.publicKeyPem())), 0),
                List.of(), GatewayConfig.Audit.in(outbox), null)
                .withConsole(new GatewayConfig.Console(GatewayConfig.Console.Mode.OIDC, TestOpenIdProvider.CLIENT_ID,
                        null, base + "/sign-in/callback", Duration.ofMinutes(15), false))
                // management on a free port too: the default 9090 may be held by anything on the machine
                .withManagement(new GatewayConfig.Management("127.0.0.1", 0));
        gateway = await(Gateway.start(vertx, config, new InMemoryAuditSink(), outbox));
        browser = Browser.start(true);
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (gateway != null) {
            await(gateway.close());
        }
        if (idp != null) {
            await(idp.close());
        }
        await(vertx.close());
    }

    private void signInThroughTheProvider() {
        browser.get(base + "/");
        assertEquals("Sign in", browser.text("#sign-in-heading"));
        browser.find("#sign-in").click();
        try {
            new WebDriverWait(browser.driver, Duration.ofSeconds(30)).until(ExpectedConditions.or(
                ExpectedConditions.presenceOfElementLocated(By.id("signed-in-as")),
                ExpectedConditions.presenceOfElementLocated(By.id("sign-in-problem"))));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("sign-in ended at " + browser.driver.getCurrentUrl() + ": "
                    + browser.driver.getPageSource(), e);
        }
    }

    @Test
    void aPractitionerSignsInWithTheIssuerAndGetsTheRoleTheIdTokenStates() throws Exception {
        idp.signWithAnotherKey = false;
        idp.user = new JsonObject().put("sub", "hv-0042").put("name", "Harriet Visitor").put("role", "child-worker")
                .put("agency", "health").put("authorisations", new JsonArray().add("cross-authority:leeds"));
        signInThroughTheProvider();
        String who = browser.text("#signed-in-as");
        assertTrue(who.contains("Harriet Visitor") && who.contains("Child worker") && who.contains("Health")
                && who.contains("cross-authority:leeds"), who);
        browser.axe("home after OpenID Connect sign-in");
        browser.clickAndWait("#sign-out");
        assertEquals("Sign in", browser.text("#sign-in-heading"));
        assertEquals(List.of(), browser.violations());
    }

    @Test
    void anIdTokenNotSignedWithTheIssuersPublishedKeySignsNobodyIn() {
        idp.signWithAnotherKey = true;
        idp.user = new JsonObject().put("sub", "attacker").put("name", "Mallory").put("role", "cp-coordinator")
                .put("agency", "social-services");
        try {
            signInThroughTheProvider();
            assertTrue(browser.all("#signed-in-as").isEmpty());
            assertTrue(browser.text("#sign-in-problem").contains("could not be signed in"));
        } finally {
            idp.signWithAnotherKey = false;
        }
    }

    /** Verifies that an ID token not valid until ten minutes from now signs nobody in (A1: nbf, as for API tokens). */
    @Test
    void anIdTokenNotValidYetSignsNobodyIn() {
        idp.user = new JsonObject().put("sub", "early-1").put("name", "Early Bird").put("role", "child-worker")
                .put("agency", "social-services").put("nbf", System.currentTimeMillis() / 1000 + 600);
        signInThroughTheProvider();
        assertTrue(browser.all("#signed-in-as").isEmpty());
        assertTrue(browser.text("#sign-in-problem").contains("could not be signed in"));
    }

    @Test
    void aCallbackThisBrowserDidNotStartSignsNobodyIn() {
        browser.get(base + "/sign-in/callback?code=stolen&state=forged");
        assertTrue(browser.all("#signed-in-as").isEmpty());
        assertTrue(browser.text("#sign-in-problem").contains("did not start in this browser"));
    }
}
