package shop.local.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through chromedriver for the browser tests: skipped (a JUnit
 * execution condition, {@link #installed()}) where it is not installed, and a failing step's
 * screenshot and page source saved in local/server/target/browser-screenshots/.
 */
final class HeadlessChromium {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {}

    /**
     * Skips a test class where Chromium or chromedriver is missing, before anything of the class
     * starts (a static {@code @RegisterExtension} field): its tests are reported skipped, with the
     * reason. An assumption in {@code @BeforeAll} would not say so: surefire reports such a class
     * as "Tests run: 0", with no skipped test and no reason.
     */
    static ExecutionCondition installed() {
        return context -> Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)
                ? ConditionEvaluationResult.enabled("Chromium and chromedriver are installed")
                : ConditionEvaluationResult.disabled(
                        "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run does)");
    }

    /** A fresh browser with its own throw-away profile. */
    static ChromeDriver start() throws IOException {
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,1000",
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(),
                options);
    }

    /** What the browser showed (PNG) and its page source, named for the failing test. */
    static void saveScreenshot(WebDriver browser, String name) throws IOException {
        if (browser instanceof ChromeDriver chrome) {
            Path dir = Path.of("target", "browser-screenshots");
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.write(file, chrome.getScreenshotAs(OutputType.BYTES));
            Files.writeString(dir.resolve(name + ".html"), chrome.getPageSource());
            chrome.manage().logs().get("browser").forEach(entry -> System.err.println("browser console: " + entry));
            System.err.println("browser screenshot: " + file.toAbsolutePath() + " (page was " + chrome.getCurrentUrl() + ")");
        }
    }
}
