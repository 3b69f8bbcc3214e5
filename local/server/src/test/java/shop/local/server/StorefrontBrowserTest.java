package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import shop.commerce.Money;
import shop.commerce.catalog.CatalogImport;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.catalog.Product;
import shop.local.stack.LocalAws;
import shop.local.stack.Mailbox;
import shop.local.stack.SentMail;

/**
 * The storefront demo walked as a customer walks it, in headless Chromium: subscribe, confirm
 * from the mailbox, buy a one-of-a-kind piece through the Stripe stand-in's pay page, see the
 * order, get the mail, see the piece sold out. A failing step leaves a screenshot in
 * local/server/target/browser-screenshots/.
 */
@ExtendWith(RunningShopExtension.class) // its pollers: the order mails go out through the queue, as on AWS
@ShopEnvironment(parameters = "StorefrontOrigin={origin}", freshSourceIpLimits = true)
class StorefrontBrowserTest {
    private static final String SKU = "BROWSER-TEST-BANGLE";
    private static final String CUSTOMER = "browser.customer@example.com";

    @ShopFixture private static RunningShop running;
    private static WebDriver browser;
    private static WebDriverWait wait;
    private static Mailbox mailbox;
    private static String partnerKey;

    /** Skipped, saying so, where Chromium is missing: before the local stack starts. */
    @RegisterExtension
    static final HeadlessChromium CHROMIUM = new HeadlessChromium();

    @BeforeAll
    static void start(LocalAws aws) {
        mailbox = aws.mailbox();
        CatalogImport.importAll(new DynamoProductStore(aws.dynamo(), aws.physicalName("ProductsTable"), Clock.systemUTC()),
                List.of(new Product(SKU, "Browser test bangle", "Hammered silver, one of a kind.",
                        Money.of(9_500, "USD"), 1, List.of(), true)), true);

        var keyOut = new java.io.ByteArrayOutputStream();
        shop.visits.PartnerKeyCommand.run(new String[] {"create", "Browser Test Partner"},
                shop.core.config.Env.of(aws.functionEnvironment("VisitsFunction", Map.of())),
                new java.io.PrintStream(keyOut), new java.io.PrintStream(new java.io.ByteArrayOutputStream()));
        partnerKey = keyOut.toString().trim();

        browser = CHROMIUM.browser();
        wait = CHROMIUM.await();
    }

    @Test
    void subscribeConfirmBuyAndSeeThePieceSoldOut() {
        // Subscribe from the home page, confirm from the mail.
        browser.get(url("/"));
        WebElement signup = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("newsletter-form")));
        signup.findElement(By.name("email")).sendKeys(CUSTOMER);
        signup.findElement(By.name("consent")).click();
        signup.findElement(By.name("ageConfirmed")).click();
        signup.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("newsletter-note"), "sent you a mail"));
        // The mail comes from the signup queue's function, a moment after the form's answer.
        browser.get(link(waitForMail(CUSTOMER, "please confirm your subscription").text(), "/newsletter/confirm"));
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("form[method=post] button[type=submit]"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "Subscription confirmed"));

        // Buy the one-of-a-kind piece.
        long ordersBefore = ordersToday();
        browser.get(url("/"));
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("article[data-sku='" + SKU + "'] button"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-cart-count]"), "1"));
        browser.get(url("/cart.html"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#cart li[data-sku='" + SKU + "']")));
        browser.findElement(By.name("email")).sendKeys(CUSTOMER);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("checkout"))).click();

        // The Stripe stand-in's pay page, as Stripe Checkout would be.
        wait.until(ExpectedConditions.urlContains("/_local/stripe/pay/"));
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[value=card]"))).click();

        // Back on the shop's thank-you page, with the order.
        wait.until(ExpectedConditions.urlContains("/order-confirmed.html?session_id=cs_"));
        WebElement status = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#order [data-order-status='PAID']")));
        assertTrue(status.getText().contains("paid"), status.getText());
        assertTrue(browser.findElement(By.id("order")).getText().contains("Browser test bangle"));

        // Partners see one more order today, and nothing else about it.
        assertEquals(ordersBefore + 1, ordersToday());

        // The order confirmation reached the customer.
        SentMail confirmation = waitForMail(CUSTOMER, "order");
        assertTrue(confirmation.text().contains("Browser test bangle"), confirmation.text());

        // The piece now shows sold out, and cannot be added again.
        browser.get(url("/"));
        WebElement soldOut = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("article[data-sku='" + SKU + "'][data-availability='sold_out']")));
        assertFalse(soldOut.findElement(By.tagName("button")).isEnabled());
        assertEquals("Sold out", soldOut.findElement(By.tagName("button")).getText());

        // Ask for a copy of one's data, confirm from the mail, download the export.
        browser.get(url("/privacy.html"));
        WebElement privacy = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("privacy-form")));
        privacy.findElement(By.name("email")).sendKeys(CUSTOMER);
        new org.openqa.selenium.support.ui.Select(privacy.findElement(By.name("type"))).selectByValue("access");
        privacy.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("privacy-note"), "We sent a mail"));
        browser.get(link(waitForMail(CUSTOMER, "confirm your privacy request").text(), "/privacy/requests/verify"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form[method=post] button"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "Your request is done"));
        String exportLink = link(waitForMail(CUSTOMER, "your privacy request", "/privacy/exports").text(), "/privacy/exports");
        String export = download(exportLink);
        assertTrue(export.contains(CUSTOMER), "the export holds the address");
        assertTrue(export.contains("Browser test bangle"), "the export holds the order");
    }

    /** Follows the export link's redirect to the presigned file, as a browser download would. */
    private static String download(String link) {
        try {
            var response = java.net.http.HttpClient.newBuilder()
                    .followRedirects(java.net.http.HttpClient.Redirect.NORMAL).build()
                    .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(link)).GET().build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            return response.body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Today's orders as a partner reads them from GET /stats/daily. */
    private static long ordersToday() {
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        try {
            var response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(running.baseUri().resolve("/stats/daily?from=" + today + "&to=" + today))
                            .header("authorization", "Bearer " + partnerKey).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).get(0).get("orders").asLong();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SentMail waitForMail(String to, String subjectWord) {
        return waitForMail(to, subjectWord, "");
    }

    /** The first mail to {@code to} whose subject has {@code subjectWord} and whose text has {@code textPart}. */
    private static SentMail waitForMail(String to, String subjectWord, String textPart) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            var found = mailbox.to(to).stream()
                    .filter(m -> m.subject().toLowerCase().contains(subjectWord) && m.text().contains(textPart))
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            sleep(200);
        }
        throw new AssertionError("no mail about '" + subjectWord + "' to " + to + " within 30 s: " + mailbox.to(to));
    }

    private static String link(String text, String path) {
        Matcher m = Pattern.compile("(https?://\\S+" + Pattern.quote(path) + "\\?token=[A-Za-z0-9_-]+)").matcher(text);
        assertTrue(m.find(), "no " + path + " link in " + text);
        return m.group(1);
    }

    private static String url(String path) {
        return running.baseUri().resolve(path).toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
