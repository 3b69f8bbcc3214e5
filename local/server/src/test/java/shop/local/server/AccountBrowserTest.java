package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import shop.commerce.orders.OrderStatus;
import shop.local.stack.LocalAws;
import shop.local.stack.Mailbox;
import shop.local.stack.SentMail;

/**
 * The account page (local/storefront/account.html) walked in headless Chromium as issue 16 says:
 * sign in with the code from the local mailbox, see the order just paid with its status, correct
 * its shipping address, download the export, subscribe and unsubscribe, deactivate, checkout with
 * that address is refused, reactivate, checkout works; then sign out, and the token the page held
 * is refused. A failing step leaves a screenshot in local/server/target/browser-screenshots/.
 */
@ExtendWith(RunningShopExtension.class)
@ShopEnvironment(parameters = "StorefrontOrigin={origin}", freshSourceIpLimits = true)
class AccountBrowserTest {
    @ShopFixture private static RunningShop running;
    @ShopFixture private static ShopClient shop;
    private static Mailbox mailbox;
    private static WebDriver browser;
    private static WebDriverWait wait;

    /** Skipped, saying so, where Chromium is missing: before the local stack starts. */
    @RegisterExtension
    static final HeadlessChromium CHROMIUM = new HeadlessChromium();

    @BeforeAll
    static void start(LocalAws aws) {
        mailbox = aws.mailbox();
        browser = CHROMIUM.browser();
        wait = CHROMIUM.await();
    }

    @Test
    void signInSeeTheOrderCorrectItExportUnsubscribeDeactivateAndReactivate() throws Exception {
        // A customer has just paid for a piece (three in stock: one bought now, one for the last checkout).
        String email = ShopClient.email();
        String piece = shop.piece(3);
        String orderId = shop.startCheckout(piece, email);
        assertEquals(303, shop.payByCard(orderId, "Ada Lovelace").statusCode());
        assertEquals(OrderStatus.PAID, shop.order(orderId).status());

        // Sign in with the code from the mailbox.
        browser.get(url("/account.html"));
        WebElement signIn = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-form")));
        signIn.findElement(By.name("email")).sendKeys(email);
        signIn.findElement(By.cssSelector("button[type=submit]")).click();
        WebElement codeForm = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("code-form")));
        codeForm.findElement(By.name("code")).sendKeys(code(waitForMail(email, "sign-in code").text()));
        codeForm.findElement(By.cssSelector("button[type=submit]")).click();

        // The order just paid, with its status and items.
        WebElement order = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#orders article[data-order-status='PAID']")));
        assertTrue(order.getText().contains("Piece " + piece), order.getText());
        assertTrue(order.getText().contains("Portland"), order.getText());
        assertEquals(email, browser.findElement(By.id("account-email")).getText());

        // Correct its shipping address.
        WebElement correction = browser.findElement(By.id("correction-form"));
        correction.findElement(By.name("line1")).sendKeys("7 Rue Neuve");
        correction.findElement(By.name("postalCode")).sendKeys("69001");
        correction.findElement(By.name("city")).sendKeys("Lyon");
        correction.findElement(By.name("country")).sendKeys("FR");
        correction.findElement(By.cssSelector("button[type=submit]")).click();
        note("Saved");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#orders .ship-to"), "Lyon"));
        assertEquals("Lyon", shop.order(orderId).shipping().city());
        assertTrue(waitForMail(email, "privacy request").text().contains("corrected 1 order"), "the correction's result mail");

        // Download the export at once.
        browser.findElement(By.id("export")).click();
        WebElement exportLink = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("export-link")));
        note("Your copy is ready"); // the view drawn again after the export: nothing of it still on its way
        String export = download(exportLink.getAttribute("href"));
        assertTrue(export.contains(email) && export.contains("Lyon") && export.contains("Piece " + piece), export);

        // Subscribe from the account, then unsubscribe.
        By newsletter = By.id("newsletter-toggle");
        assertEquals("Subscribe", browser.findElement(newsletter).getText());
        browser.findElement(By.id("age-confirmed")).click();
        wait.until(ExpectedConditions.elementToBeClickable(newsletter)).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("newsletter-status"), "data-status", "subscribed"));
        note("You are subscribed");
        wait.until(ExpectedConditions.elementToBeClickable(newsletter)).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("newsletter-status"), "data-status", "not_subscribed"));
        note("You are unsubscribed");

        // Deactivate, with its confirmation step.
        wait.until(ExpectedConditions.elementToBeClickable(By.id("deactivation"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-yes"))).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("deactivated-status"), "data-status", "deactivated"));

        // Checkout with that address is refused.
        checkout(piece, email);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("checkout-note"), "deactivated"));

        // Back to the account (the session is still in this tab): reactivate.
        browser.get(url("/account.html"));
        wait.until(ExpectedConditions.attributeToBe(By.id("deactivated-status"), "data-status", "deactivated"));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("deactivation"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-yes"))).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("deactivated-status"), "data-status", "active"));

        // Checkout works again: on to the payment page.
        checkout(piece, email);
        wait.until(ExpectedConditions.urlContains("/_local/stripe/pay/"));

        // Sign out: the token the page held is refused from now on.
        browser.get(url("/account.html"));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-out")));
        String token = (String) ((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('accountSession')");
        assertEquals(200, shop.admin("/account", token).statusCode());
        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-form")));
        assertEquals(401, shop.admin("/account", token).statusCode());
        assertEquals(null, ((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('accountSession')"));
        assertTrue(((String) ((JavascriptExecutor) browser).executeScript("return document.cookie")).isEmpty(), "no cookie");
    }

    /** The cart page with one piece in the cart, checked out with {@code email}. */
    private static void checkout(String sku, String email) {
        browser.get(url("/cart.html"));
        ((JavascriptExecutor) browser).executeScript("localStorage.setItem('cart', JSON.stringify({[arguments[0]]: 1}))", sku);
        browser.navigate().refresh();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#cart li[data-sku='" + sku + "']")));
        browser.findElement(By.name("email")).sendKeys(email);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("checkout"))).click();
    }

    private static void note(String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("account-note"), text));
    }

    private static String download(String link) throws Exception {
        var response = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                .send(HttpRequest.newBuilder(URI.create(link)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    static String code(String text) {
        Matcher m = Pattern.compile("\\b([0-9]{6})\\b").matcher(text);
        assertTrue(m.find(), "no code in " + text);
        return m.group(1);
    }

    private static SentMail waitForMail(String to, String subjectPart) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            var found = mailbox.to(to).stream().filter(m -> m.subject().toLowerCase().contains(subjectPart)).reduce((a, b) -> b);
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no mail about '" + subjectPart + "' to " + to + " within 30 s: " + mailbox.to(to));
    }

    private static String url(String path) {
        return running.baseUri().resolve(path).toString();
    }
}
