package shop.local.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through chromedriver for a browser test class, registered as
 * a static field:
 * <pre>
 * &#64;RegisterExtension
 * static final HeadlessChromium CHROMIUM = new HeadlessChromium();
 * </pre>
 * The class is skipped where Chromium is not installed; {@link #browser()} starts one browser for
 * the class (where the class first asks for it, so after whatever its {@code @BeforeAll} starts
 * first), a failing test's screenshot and page source are saved in
 * local/server/target/browser-screenshots/, and the browser quits after the class's
 * {@code @AfterAll} methods.
 */
final class HeadlessChromium implements ExecutionCondition, AfterTestExecutionCallback, AfterAllCallback {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private ChromeDriver browser;
    private WebDriverWait wait;

    /**
     * Skips a test class where Chromium or chromedriver is missing, before anything of the class
     * starts (hence a static {@code @RegisterExtension} field): its tests are reported skipped,
     * with the reason. An assumption in {@code @BeforeAll} would not say so: surefire reports such
     * a class as "Tests run: 0", with no skipped test and no reason.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)
                ? ConditionEvaluationResult.enabled("Chromium and chromedriver are installed")
                : ConditionEvaluationResult.disabled(
                        "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run does)");
    }

    /** The class's browser, started on first use with its own throw-away profile. */
    WebDriver browser() {
        if (browser == null) {
            browser = start();
            wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        }
        return browser;
    }

    /** Waits up to 30 seconds for a condition of the class's browser. */
    WebDriverWait await() {
        browser();
        return wait;
    }

    @Override
    public void afterTestExecution(ExtensionContext context) throws IOException {
        if (context.getExecutionException().isPresent() && browser != null) {
            saveScreenshot(context.getRequiredTestMethod().getName());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
    }

    private static ChromeDriver start() {
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        try {
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--window-size=1280,1000",
                    "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(),
                options);
    }

    /** What the browser showed (PNG) and its page source, named for the failing test. */
    private void saveScreenshot(String name) throws IOException {
        Path dir = Path.of("target", "browser-screenshots");
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
        Files.writeString(dir.resolve(name + ".html"), browser.getPageSource());
        browser.manage().logs().get("browser").forEach(entry -> System.err.println("browser console: " + entry));
        System.err.println("browser screenshot: " + file.toAbsolutePath() + " (page was " + browser.getCurrentUrl() + ")");
    }
}
