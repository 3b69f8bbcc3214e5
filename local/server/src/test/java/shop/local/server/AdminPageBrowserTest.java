package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
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
import shop.local.stack.LocalAdmins;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.Totp;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;

/**
 * The admin page's shell in headless Chromium, signing in through the local Cognito with the
 * real amazon-cognito-identity-js: the owner (password, then the authenticator's code) sees
 * their name and the tabs, enables a disabled account (its button disabled while it runs and until
 * the list is drawn again), disables it again behind a question (its button usable again when the list's reload fails),
 * resends an invitation from the Staff tab, and signs out; staff see no owner-only tab; an
 * invited person's first sign-in sets a password and enrols an authenticator from the key the page shows.
 */
@ExtendWith(LocalAwsExtension.class)
class AdminPageBrowserTest {

    private static LocalAws aws;
    private static LocalApiServer server;
    private static WebDriver browser;
    private static WebDriverWait wait;

    /** Skipped, saying so, where Chromium is missing: before the local stack starts. */
    @RegisterExtension
    static final HeadlessChromium CHROMIUM = new HeadlessChromium();

    @BeforeAll
    static void start(LocalAws localAws) throws IOException {
        aws = localAws;
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        server = LocalApiServer.start(new LocalFunctions(aws, aws.template(),
                Map.of("StorefrontOrigin", "http://localhost:" + port)), port);
        browser = CHROMIUM.browser();
        wait = CHROMIUM.await();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theOwnerSignsInWithPasswordAndCodeSeesTheTabsKeepsNoTokenInStorageAndSignsOut() {
        // Through the link of the owner's privacy mails: signed in, the page is on the privacy tab.
        signIn(LocalAdmins.OWNER.username(), LocalAdmins.OWNER.password(), "#privacy");
        visible("code").findElement(By.name("code")).sendKeys(aws.admins().currentCode(LocalAdmins.OWNER.username()));
        visible("code").findElement(By.cssSelector("button[type=submit]")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who-name"), LocalAdmins.OWNER.username()));
        assertEquals("(owners)", browser.findElement(By.id("who-groups")).getText());
        assertEquals("true", visible("tab-privacy").getAttribute("aria-selected"));
        visible("panel-privacy");
        visible("tab-account");
        String invited = staffAccount("invited");
        String away = staffAccount("away");
        aws.admins().cognito().adminDisableUser(b -> b.userPoolId(aws.admins().poolId()).username(away));
        visible("tab-staff").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("staff-list"), LocalAdmins.STAFF.username()));
        assertEquals("active", row(LocalAdmins.STAFF.username()).findElements(By.tagName("td")).get(1).getText());
        assertEquals("disabled", row(away).findElements(By.tagName("td")).get(1).getText());
        assertTrue(row(away).findElements(By.xpath(".//button[text()='Resend invitation']")).isEmpty(),
                "no resend to a disabled account");
        WebElement listed = row(away);
        // Its answer held in the page: Enable is disabled while its request runs (one request per click).
        var page = (JavascriptExecutor) browser;
        page.executeScript(BackOfficeBrowserTest.HOLD_ONE_ANSWER, "/enable");
        WebElement enable = listed.findElement(By.xpath(".//button[text()='Enable']"));
        enable.click();
        wait.until(driver -> (Boolean) page.executeScript("return window.heldAnswer.arrived;"));
        assertFalse(enable.isEnabled(), "Enable while its request runs");
        // The list's reload held in turn: between Enable's answer and the redraw, Enable must not send a second request.
        page.executeScript("window.enableAnswer = window.heldAnswer;");
        page.executeScript(BackOfficeBrowserTest.HOLD_ONE_ANSWER, "/admin/staff");
        page.executeScript("window.enableAnswer.release();");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), away + " can sign in again."));
        wait.until(driver -> (Boolean) page.executeScript("return window.heldAnswer.arrived;"));
        assertFalse(enable.isEnabled(), "Enable once answered, until the list is drawn again");
        page.executeScript("window.heldAnswer.release();");
        wait.until(ExpectedConditions.stalenessOf(listed)); // the list drawn again
        assertEquals("invited, not signed in yet", row(away).findElements(By.tagName("td")).get(1).getText());
        assertTrue(aws.admins().cognito().adminGetUser(b -> b.userPoolId(aws.admins().poolId()).username(away)).enabled());

        // Disable asks first: dismissed, nothing is sent.
        listed = row(away);
        WebElement disable = listed.findElement(By.xpath(".//button[text()='Disable']"));
        disable.click();
        assertTrue(wait.until(ExpectedConditions.alertIsPresent()).getText().startsWith("Disable " + away + "?"));
        browser.switchTo().alert().dismiss();
        assertTrue(disable.isEnabled());
        assertTrue(aws.admins().cognito().adminGetUser(b -> b.userPoolId(aws.admins().poolId()).username(away)).enabled(),
                "a dismissed question disables no one");
        // Confirmed, it is done; the list's reload then fails (a 503): the button is usable again and the page says both.
        page.executeScript(BackOfficeBrowserTest.FAIL_ONE_LIST, "/admin/staff");
        disable.click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), away
                + " is disabled and signed out. But the list could not be reloaded: the API answered 503."));
        wait.until(ExpectedConditions.elementToBeClickable(disable));
        assertFalse(aws.admins().cognito().adminGetUser(b -> b.userPoolId(aws.admins().poolId()).username(away)).enabled());
        visible("tab-staff").click(); // drawn again as it is now
        wait.until(ExpectedConditions.stalenessOf(listed));
        assertEquals("disabled", row(away).findElements(By.tagName("td")).get(1).getText());

        assertTrue(row(LocalAdmins.STAFF.username()).findElements(By.xpath(".//button[text()='Resend invitation']"))
                .isEmpty(), "no resend to someone who signed in");
        listed = row(invited);
        listed.findElement(By.xpath(".//button[text()='Resend invitation']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"),
                invited + " gets a new temporary password by mail"));
        wait.until(ExpectedConditions.stalenessOf(listed));
        row(invited).findElement(By.xpath(".//button[text()='Resend invitation']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"),
                "Resend invitation: The invitation was resent at"));
        assertEquals(0L, page.executeScript(
                "return localStorage.length + sessionStorage.length + document.cookie.length;"),
                "tokens in memory only");

        browser.findElement(By.id("sign-out")).click();
        visible("sign-in");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Signed out"));
        assertTrue(browser.findElements(By.id("tab-staff")).isEmpty());
    }

    @Test
    void staffSeeNoOwnerOnlyTab() {
        // An owner's link forwarded to staff opens the first tab they may use, not an empty page.
        signIn(LocalAdmins.STAFF.username(), LocalAdmins.STAFF.password(), "#privacy");
        visible("code").findElement(By.name("code")).sendKeys(aws.admins().currentCode(LocalAdmins.STAFF.username()));
        visible("code").findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who-name"), LocalAdmins.STAFF.username()));
        visible("tab-account");
        assertTrue(browser.findElements(By.id("tab-privacy")).isEmpty(), "no Privacy tab for staff");
        WebElement first = browser.findElements(By.cssSelector("#tabs [role=tab]")).get(0);
        assertEquals("true", first.getAttribute("aria-selected"), first.getText());
        visible("panel-" + first.getAttribute("id").substring("tab-".length()));
        assertTrue(browser.findElements(By.id("tab-staff")).isEmpty(), "no Staff tab for staff");
        assertTrue(browser.findElements(By.id("invite-form")).isEmpty());
        browser.findElement(By.id("sign-out")).click();
        visible("sign-in");
    }

    @Test
    void aFirstSignInSetsAPasswordAndEnrolsAnAuthenticator() {
        String email = "first-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        var admins = aws.admins();
        // What the invitation mail gives the person: a temporary password.
        admins.cognito().adminCreateUser(b -> b.userPoolId(admins.poolId()).username(email)
                .temporaryPassword("Temporary-Passw0rd!").messageAction(MessageActionType.SUPPRESS)
                .userAttributes(a -> a.name("email").value(email), a -> a.name("email_verified").value("true")));
        admins.cognito().adminAddUserToGroup(b -> b.userPoolId(admins.poolId()).username(email).groupName("staff"));

        signIn(email, "Temporary-Passw0rd!");
        visible("new-password").findElement(By.name("password")).sendKeys("A-New-Passw0rd-of-mine!");
        visible("new-password").findElement(By.cssSelector("button[type=submit]")).click();
        String secret = visible("totp-secret").getText();
        assertTrue(secret.length() >= 8, "the key for the authenticator app, as text: " + secret);
        visible("mfa-setup").findElement(By.name("code")).sendKeys(Totp.freshCode(secret));
        visible("mfa-setup").findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who-name"), email));
        browser.findElement(By.id("sign-out")).click();
        visible("sign-in");
    }

    /** A staff account invited and never signed in (the invitation mail suppressed). */
    private static String staffAccount(String prefix) {
        String email = prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        var admins = aws.admins();
        admins.cognito().adminCreateUser(b -> b.userPoolId(admins.poolId()).username(email)
                .messageAction(MessageActionType.SUPPRESS)
                .userAttributes(a -> a.name("email").value(email), a -> a.name("email_verified").value("true")));
        admins.cognito().adminAddUserToGroup(b -> b.userPoolId(admins.poolId()).username(email).groupName("staff"));
        return email;
    }

    private static WebElement row(String username) {
        return browser.findElement(By.cssSelector("#staff-list tr[data-username='" + username + "']"));
    }

    private static void signIn(String email, String password) {
        signIn(email, password, "");
    }

    /** {@code fragment}: what a link from a mail asks the page to open ({@code #privacy}), or "". */
    private static void signIn(String email, String password, String fragment) {
        if (!fragment.isEmpty()) {
            browser.get("about:blank"); // the same address with a fragment again would not load the page anew
        }
        browser.get(server.baseUri().resolve("/admin/").toString() + fragment);
        WebElement form = visible("sign-in");
        form.findElement(By.name("email")).sendKeys(email);
        form.findElement(By.name("password")).sendKeys(password);
        form.findElement(By.cssSelector("button[type=submit]")).click();
    }

    private static WebElement visible(String id) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    }
}
