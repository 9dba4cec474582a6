package uk.wycps.gateway.console;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium through Debian's ChromeDriver (no download: SE_OFFLINE and the driver's path),
 * headless, one per test class. Fails clearly when either is missing: the browser tests are never
 * silently skipped.
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = System.getProperty("wycps.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("wycps.chromedriver", "/usr/bin/chromedriver");
    /** WCAG 2.2 A and AA, and the 2.0 and 2.1 rules they include. */
    static final List<String> WCAG = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa");

    final ChromeDriver driver;
    private final Path profile;
    private final List<String> violations = new ArrayList<>();

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static Browser start(boolean javascript) throws IOException {
        if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
            fail("The browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): scripts/test.sh installs them.");
        }
        Path profile = Files.createTempDirectory("wycps-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-extensions", "--window-size=1024,900",
                "--user-data-dir=" + profile);
        if (!javascript) {
            options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return new Browser(driver, profile);
    }

    void get(String url) {
        driver.get(url);
    }

    /** Clicks what navigates (a link, a submit button) and waits for the next page. */
    void clickAndWait(String css) {
        WebElement html = driver.findElement(By.tagName("html"));
        find(css).click();
        waitForNewPage(html);
    }

    void waitForNewPage(WebElement old) {
        new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> isGone(old));
    }

    /**
     * Whether {@code old} belongs to a page that has been replaced. Selenium's own staleness
     * check knows one way ChromeDriver says so; caught mid-navigation, ChromeDriver says it
     * another way too ("Node with given id does not belong to the document"), which failed a CI
     * run on a loaded machine though the page had been replaced.
     */
    private static boolean isGone(WebElement old) {
        try {
            old.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return true;
        } catch (org.openqa.selenium.WebDriverException e) {
            if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    String text(String css) {
        return find(css).getText();
    }

    /** Runs axe-core (WCAG 2.2 A and AA) on the page as it is now; remembers any violation. */
    void axe(String state) {
        Results results = new AxeBuilder().withTags(WCAG).analyze(driver);
        for (Rule v : results.getViolations()) {
            StringBuilder nodes = new StringBuilder();
            v.getNodes().forEach(n -> nodes.append(" ").append(n.getTarget()));
            violations.add(state + ": " + v.getId() + " (" + v.getHelp() + ")" + nodes);
        }
        assertTrue(results.getPasses().size() > 5, "axe ran on " + state);
    }

    void clearViolations() {
        violations.clear();
    }

    List<String> violations() {
        return violations;
    }

    /** A screenshot for docs/console.md, when the build asks for them (-Dwycps.screenshots=DIR). */
    void screenshot(String name) throws IOException {
        String dir = System.getProperty("wycps.screenshots");
        if (dir == null) {
            return;
        }
        Path target = Path.of(dir).resolve(name + ".png");
        Files.createDirectories(target.getParent());
        Files.write(target, driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var walk = Files.walk(profile)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

}
