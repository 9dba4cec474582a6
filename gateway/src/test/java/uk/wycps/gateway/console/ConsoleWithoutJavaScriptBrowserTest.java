package uk.wycps.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.WebElement;
import uk.wycps.mock.SyntheticPopulation;

/**
 * Progressive enhancement (issue 16): with JavaScript switched off in Chromium, a practitioner
 * signs in, makes an enquiry, reads the answer and its print view, and signs out. (axe-core is
 * itself JavaScript, so the same pages are checked by axe in {@link ConsoleJourneyBrowserTest}.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleWithoutJavaScriptBrowserTest {

    private ConsoleHarness harness;
    private Browser browser;

    @BeforeAll
    void start() throws Exception {
        harness = ConsoleHarness.startDemo();
        browser = Browser.start(false);
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void theJourneyWorksWithJavaScriptSwitchedOff() throws Exception {
        SyntheticPopulation.CrossBoundaryExample child = harness.mocks.population().crossBoundaryExample();
        browser.get(harness.base() + "/");
        // JavaScript is really off: GOV.UK Frontend's script never marked the page as enhanced.
        assertFalse(browser.find("body").getAttribute("class").contains("govuk-frontend-supported"));
        browser.find("label[for='persona-school-lead']").click();
        browser.clickAndWait("#sign-in-button");
        browser.clickAndWait("#start");
        browser.find("#givenName").sendKeys(child.givenName());
        browser.find("#familyName").sendKeys(child.familyName());
        browser.find("#dob-day").sendKeys(String.valueOf(child.dateOfBirth().getDayOfMonth()));
        browser.find("#dob-month").sendKeys(String.valueOf(child.dateOfBirth().getMonthValue()));
        browser.find("#dob-year").sendKeys(String.valueOf(child.dateOfBirth().getYear()));
        browser.find("label[for='purpose-register-check']").click();
        browser.find("#justification").sendKeys("Referral from school nurse");
        browser.find("label[for='consent-not-sought']").click();
        browser.find("label[for='ground-authorised-register-check']").click();
        browser.clickAndWait("#submit-enquiry");
        String headline = browser.text("#headline");
        assertEquals(5, browser.all("#registers tr[data-register]").size(), "every register's status");
        // The school lead may see Kirklees only: the rest are withheld, so never "no record".
        assertFalse(headline.toLowerCase(java.util.Locale.ROOT).contains("no record"), headline);
        browser.clickAndWait("#print-link");
        assertTrue(browser.find("#print-meta").isDisplayed());
        browser.clickAndWait("#sign-out");
        assertEquals("Sign in", browser.text("#sign-in-heading"));
        for (WebElement script : browser.all("script")) {
            assertTrue(script.getAttribute("src") != null && !script.getAttribute("src").isEmpty(), "no inline script");
        }
        assertEquals(List.of(), browser.violations());
    }
}
