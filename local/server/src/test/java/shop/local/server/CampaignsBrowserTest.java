package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import shop.core.email.EmailAddress;
import shop.core.security.AddressHasher;
import shop.local.stack.LocalAdmins;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalParameters;
import shop.local.stack.SentMail;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The campaigns screen of the admin page walked in headless Chromium: the owner writes a
 * campaign, previews it (the HTML in a sandboxed frame, the text part made from it, the one-click
 * headers), sends a test to their own address (the save button and every action disabled until it
 * is answered), is stopped from scheduling it at a time that has passed, sends it now (shown to go out at a time in the owner's own time zone, not UTC's ISO text), pauses it and resumes it behind a question, and, without reloading anything,
 * sees it become SENT with its final counts once the dispatcher and the senders are through, its audience queued as
 * the screen said before sending. Staff have no campaigns tab.
 * Older campaigns stay listed after an action, and a scheduled one opens with its time in "or at". A failing step leaves a
 * screenshot in local/server/target/browser-screenshots/.
 */
@ExtendWith(RunningShopExtension.class)
@ShopEnvironment(parameters = {"StorefrontOrigin={origin}", "SesMaxSendRate=400"})
class CampaignsBrowserTest {
    private static final String SUBJECT = "Spring pearls, walked " + Long.toString(System.nanoTime(), 36);
    private static final List<String> READERS = List.of("walk1@campaign-browser.test", "walk2@campaign-browser.test");

    @ShopFixture private static LocalAws aws;
    @ShopFixture private static RunningShop running;
    @ShopFixture private static ShopClient shop;
    private static WebDriver browser;
    private static WebDriverWait wait;
    private static String origin;

    /** Skipped, saying so, where Chromium is missing: before the local stack starts. */
    @RegisterExtension
    static final HeadlessChromium CHROMIUM = new HeadlessChromium();

    @BeforeAll
    static void start() {
        origin = running.baseUri().toString();
        var hasher = new AddressHasher(LocalParameters.ADDRESS_HASH_KEY);
        for (String reader : READERS) {
            String hash = hasher.hash(new EmailAddress(reader));
            aws.dynamo().putItem(b -> b.tableName(aws.physicalName("SubscribersTable")).item(Map.of(
                    "pk", AttributeValue.fromS("SUBSCRIBER#" + hash), "email", AttributeValue.fromS(reader),
                    "status", AttributeValue.fromS("CONFIRMED"), "audience", AttributeValue.fromS("newsletter"),
                    "consent", AttributeValue.fromM(Map.of("givenAt", AttributeValue.fromS("2026-11-01T09:55:00Z"),
                            "policyVersion", AttributeValue.fromS("2016-07-01"), "source", AttributeValue.fromS("browser-seed"),
                            "signupIpPrefix", AttributeValue.fromS("127.0.0.0/24"), "signupUserAgent", AttributeValue.fromS("seed"),
                            "ageConfirmed", AttributeValue.fromBool(true),
                            "confirmedAt", AttributeValue.fromS("2026-11-01T10:00:00Z"),
                            "confirmIpPrefix", AttributeValue.fromS("127.0.0.0/24"),
                            "confirmUserAgent", AttributeValue.fromS("seed"))))));
        }
        browser = CHROMIUM.browser();
        wait = CHROMIUM.await();
    }

    @Test
    void theOwnerWritesPreviewsTestsAndSendsACampaignAndSeesItsCounts() throws Exception {
        Instant started = Instant.now().minusSeconds(1);
        signIn(LocalAdmins.OWNER);
        visible("tab-campaigns").click();
        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#panel-campaigns form.campaign-form")));
        form.findElement(By.name("subject")).sendKeys(SUBJECT);
        form.findElement(By.name("html")).sendKeys("<h1>Spring pearls</h1><p>Freshwater pearls on silver.</p>"
                + "<p><a href=\"https://shop.example.com/pearls.html\">See them</a></p>");
        form.findElement(By.name("save")).click();
        By message = By.cssSelector("#panel-campaigns p.message");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(message, "saved"));
        assertTrue(form.findElement(By.name("text")).getAttribute("value")
                .contains("See them (https://shop.example.com/pearls.html)"), "the text part made from the HTML");
        // Next to "Send now", before anything is sent: how many confirmed subscribers it would go to, which is how
        // many the dispatcher queues below.
        WebElement reach = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#panel-campaigns .campaign-actions .campaign-audience strong[data-audience]")));
        int audience = Integer.parseInt(reach.getAttribute("data-audience"));
        assertTrue(audience >= READERS.size(), "the seeded readers at least: " + audience);
        assertTrue(browser.findElement(By.cssSelector("#panel-campaigns .campaign-audience")).getText()
                .startsWith("Will go to about " + reach.getText() + " confirmed subscriber"), reach.getText());

        WebElement panel = browser.findElement(By.id("panel-campaigns"));
        clickable(By.name("preview")).click();
        WebElement text = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#panel-campaigns pre.campaign-text")));
        assertTrue(text.getText().contains(LocalParameters.DEFAULTS.get("ShopPostalAddress")), text.getText());
        assertTrue(panel.findElement(By.cssSelector("pre.campaign-headers")).getText()
                .contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        WebElement frame = panel.findElement(By.cssSelector(".campaign-preview iframe"));
        assertEquals("", frame.getAttribute("sandbox"), "the preview runs no script");
        browser.switchTo().frame(frame);
        assertTrue(browser.findElement(By.tagName("h1")).getText().contains("Spring pearls"));
        browser.switchTo().defaultContent();

        // The test's answer held in the page: the save button and every action are disabled until it is answered.
        var page = (JavascriptExecutor) browser;
        page.executeScript(BackOfficeBrowserTest.HOLD_ONE_ANSWER, "/test");
        clickable(By.name("test")).click();
        wait.until(driver -> (Boolean) page.executeScript("return window.heldAnswer.arrived;"));
        List<WebElement> buttons = panel.findElements(By.cssSelector("form.campaign-form button[name=save], .campaign-actions button"));
        assertEquals(8, buttons.size(), "save and the seven actions");
        buttons.forEach(b -> assertFalse(b.isEnabled(), b.getText() + " while the test is sent"));
        page.executeScript("window.heldAnswer.release();");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(message, "A test went to your address"));
        buttons.forEach(b -> assertTrue(b.isEnabled(), b.getText() + " once the test is sent (a draft)"));
        assertEquals(1, aws.mailbox().to(LocalParameters.DEFAULTS.get("OwnerEmail")).stream()
                .filter(m -> m.subject().equals("[Test] " + SUBJECT)).count());

        // A time that has passed (a mistyped day) is refused on the page: the API would send it at once.
        WebElement at = panel.findElement(By.name("at"));
        page.executeScript("arguments[0].value = '2020-01-06T10:00';", at);
        clickable(By.name("schedule")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(message, "has passed: choose a later time"));
        assertTrue(panel.findElement(By.cssSelector("p.campaign-status")).getText().contains("DRAFT"),
                "nothing scheduled, nothing sent");
        page.executeScript("arguments[0].value = '';", at);

        // Sending asks once more: dismissed, nothing is sent; accepted, the campaign is scheduled.
        clickable(By.name("send-now")).click();
        wait.until(ExpectedConditions.alertIsPresent()).dismiss();
        assertTrue(panel.findElement(By.cssSelector("p.campaign-status")).getText().contains("DRAFT"),
                "a dismissed confirmation sends nothing");
        clickable(By.name("send-now")).click();
        Alert sure = wait.until(ExpectedConditions.alertIsPresent());
        assertTrue(sure.getText().contains(SUBJECT), sure.getText());
        sure.accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#panel-campaigns p.campaign-status"), "SCHEDULED"));
        // When it goes out, in the owner's own time as they would type it in "or at", not the API's UTC ISO text.
        String scheduled = panel.findElement(By.cssSelector("p.campaign-status")).getText();
        assertTrue(scheduled.startsWith("Status: SCHEDULED, send at "), scheduled);
        assertFalse(scheduled.matches(".*[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}.*"), scheduled);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.xpath(
                "//*[@id='panel-campaigns']//tr[td[text()='" + SUBJECT + "']]/td[@class='send-at']"),
                scheduled.substring("Status: SCHEDULED, send at ".length())));

        // Paused, then resumed: resuming sends to everyone not reached yet, so it asks first; dismissed, it stays paused.
        By state = By.cssSelector("#panel-campaigns p.campaign-status");
        clickable(By.name("pause")).click();
        wait.until(ExpectedConditions.attributeToBe(state, "data-status", "PAUSED"));
        clickable(By.name("resume")).click();
        Alert resume = wait.until(ExpectedConditions.alertIsPresent());
        assertTrue(resume.getText().startsWith("Resume \"" + SUBJECT + "\"? It goes out now"), resume.getText());
        resume.dismiss();
        assertEquals("PAUSED", panel.findElement(state).getAttribute("data-status"), "a dismissed question resumes nothing");
        clickable(By.name("resume")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(message, "Resumed: only those not reached yet get it."));

        // The dispatcher's minute comes; the senders work through the queue.
        running.server().schedules().runNow("CampaignDispatchFunction");
        String queue = aws.queueUrl(aws.template(), "CampaignRecipientsQueue");
        awaitUntil("the campaign's recipients to be sent", () -> {
            var attributes = aws.sqs().getQueueAttributes(b -> b.queueUrl(queue).attributeNamesWithStrings(
                    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
            return "0".equals(attributes.get("ApproximateNumberOfMessages"))
                    && "0".equals(attributes.get("ApproximateNumberOfMessagesNotVisible"));
        });
        List<SentMail> sent = aws.mailbox().since(started).stream().filter(m -> m.subject().equals(SUBJECT)).toList();
        for (String reader : READERS) {
            assertEquals(1, sent.stream().filter(m -> m.isTo(reader)).count(), reader);
        }
        assertTrue(sent.size() <= audience, "at most as many as the screen said before sending: " + sent.size());

        // Nothing pressed, nothing reloaded: the screen follows the campaign to its end by itself.
        By status = By.cssSelector("#panel-campaigns p.campaign-status");
        wait.until(ExpectedConditions.attributeToBe(status, "data-status", "SENT"));
        assertTrue(panel.findElement(status).getText().matches("Status: SENT, finished .+"),
                panel.findElement(status).getText());
        assertEquals(String.valueOf(sent.size()),
                panel.findElement(By.cssSelector("dd[data-count=sent]")).getText(), "the sent count is the mail that went out");
        assertEquals(panel.findElement(By.cssSelector("dd[data-count=queued]")).getText(),
                panel.findElement(By.cssSelector("dd[data-count=handled]")).getText(), "every queued recipient done");
        // The whole audience was queued (the pass after the resume starts from its beginning): as many as the screen
        // said before sending. A suppressed address still confirmed, which other tests of the shared stack leave, is
        // queued and then skipped, not mailed: the number shown is an upper bound of the mail.
        assertEquals(String.valueOf(audience), panel.findElement(By.cssSelector("dd[data-count=queued]")).getText(),
                "queued: the audience the screen showed");
        assertEquals("0", panel.findElement(By.cssSelector("dd[data-count=bounced]")).getText());
        WebElement row = panel.findElement(By.xpath(".//tr[td[text()='" + SUBJECT + "']]"));
        assertEquals("SENT", row.findElements(By.tagName("td")).get(1).getText(), "the list row too");
        assertEquals(String.valueOf(sent.size()), row.findElements(By.tagName("td")).get(3).getText());

        By failedNote = By.cssSelector("#panel-campaigns p.campaign-failed");
        assertFalse(panel.findElement(failedNote).isDisplayed(), "nothing failed, nothing said");

        // Opened again from the list: SENT, and a sent campaign cannot be paused. The counts shown
        // before are drawn anew once the campaign's answer is in. Meanwhile two of its recipients
        // are counted failed, as a message's last receive leaves them: the owner is told in words.
        String id = row.getAttribute("data-campaign");
        aws.dynamo().updateItem(b -> b.tableName(aws.physicalName("CampaignsTable"))
                .key(Map.of("pk", AttributeValue.fromS("CAMPAIGN#" + id))).updateExpression("ADD failed :two")
                .expressionAttributeValues(Map.of(":two", AttributeValue.fromN("2"))));
        WebElement countBefore = panel.findElement(By.cssSelector("dd[data-count=sent]"));
        row.findElement(By.tagName("button")).click();
        wait.until(ExpectedConditions.stalenessOf(countBefore));
        wait.until(ExpectedConditions.attributeToBe(status, "data-status", "SENT"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(failedNote));
        assertTrue(panel.findElement(failedNote).getText().startsWith("2 recipients could not be sent: waiting in the"
                + " dead-letter queue; they are sent when it is redriven"), panel.findElement(failedNote).getText());
        assertEquals("2", panel.findElement(By.cssSelector("dd[data-count=failed]")).getText());
        clickable(By.name("pause")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(message, "has been sent to all its recipients"));
        browser.findElement(By.id("sign-out")).click();
        visible("sign-in");

        // Staff have no campaigns tab.
        signIn(LocalAdmins.STAFF);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tab-account")));
        assertTrue(browser.findElements(By.id("tab-campaigns")).isEmpty(), "campaigns are the owners'");
        browser.findElement(By.id("sign-out")).click();
    }

    /**
     * The list's older pages: 51 drafts written through the API put the oldest, scheduled for tomorrow, on the second
     * page. "Older campaigns" lists it; opened, its "or at" holds its time as the owner would type it; paused, the list
     * drawn again still holds the older page the owner had opened.
     */
    @Test
    void olderCampaignsStayListedAfterAnActionAndAScheduledOneOpensWithItsTime() throws Exception {
        String owner = running.adminToken(LocalAdmins.OWNER.username());
        String run = Long.toString(System.nanoTime(), 36);
        String oldest = draft(owner, "Older, walked " + run);
        Instant at = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MINUTES);
        var scheduled = shop.admin("POST", "/admin/campaigns/" + oldest + "/send", owner, "{\"at\":\"" + at + "\"}");
        assertEquals(200, scheduled.statusCode(), scheduled.body());
        try {
            for (int i = 0; i < 50; i++) {
                draft(owner, "Newer " + i + ", walked " + run);
            }
            signIn(LocalAdmins.OWNER);
            visible("tab-campaigns").click();
            By rows = By.cssSelector("#panel-campaigns table.campaigns tbody tr");
            By oldestRow = By.cssSelector("#panel-campaigns tr[data-campaign='" + oldest + "']");
            WebElement older = wait.until(ExpectedConditions.elementToBeClickable(
                    By.cssSelector("#panel-campaigns button.campaigns-older")));
            assertEquals(50, browser.findElements(rows).size(), "the newest 50");
            assertTrue(browser.findElements(oldestRow).isEmpty(), "the oldest is on the second page");
            older.click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(oldestRow)).findElement(By.tagName("button")).click();

            // Opened again, its time is in "or at" (the browser's time zone, as typed), to change it from there.
            By state = By.cssSelector("#panel-campaigns p.campaign-status");
            wait.until(ExpectedConditions.attributeToBe(state, "data-status", "SCHEDULED"));
            WebElement atField = browser.findElement(By.cssSelector("#panel-campaigns input[name=at]"));
            assertEquals(at, Instant.parse((String) ((JavascriptExecutor) browser).executeScript(
                    "return new Date(arguments[0].value).toISOString();", atField)), atField.getAttribute("value"));

            // Paused: the list is drawn again with the older page the owner had opened.
            WebElement firstRow = browser.findElement(rows);
            clickable(By.name("pause")).click();
            wait.until(ExpectedConditions.attributeToBe(state, "data-status", "PAUSED"));
            wait.until(ExpectedConditions.stalenessOf(firstRow));
            List<WebElement> listed = browser.findElements(oldestRow);
            assertEquals(1, listed.size(), "the older page is still listed");
            assertEquals("PAUSED", listed.get(0).findElements(By.tagName("td")).get(1).getText());
            assertTrue(browser.findElements(rows).size() > 50, "both pages");
            browser.findElement(By.id("sign-out")).click();
            visible("sign-in");
        } finally {
            shop.admin("POST", "/admin/campaigns/" + oldest + "/cancel", owner, null);
        }
    }

    /** A draft written through the API; its id. */
    private static String draft(String owner, String subject) throws Exception {
        var created = shop.admin("POST", "/admin/campaigns", owner,
                "{\"subject\":\"" + subject + "\",\"html\":\"<p>" + subject + "</p>\"}");
        assertEquals(201, created.statusCode(), created.body());
        return ShopClient.json(created).get("id").asText();
    }

    private static void signIn(LocalAdmins.Admin who) {
        browser.get(origin + "/admin/");
        WebElement form = visible("sign-in");
        form.findElement(By.name("email")).sendKeys(who.username());
        form.findElement(By.name("password")).sendKeys(who.password());
        form.findElement(By.cssSelector("button[type=submit]")).click();
        visible("code").findElement(By.name("code")).sendKeys(aws.admins().currentCode(who.username()));
        visible("code").findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who-name"), who.username()));
    }

    /** Longer than ShopClient.await: the audience is every confirmed subscriber the shared local stack holds. */
    private static void awaitUntil(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(180);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    /** A button of the campaigns panel, once enabled (a save or an action disables them until it is answered). */
    private static WebElement clickable(By button) {
        return wait.until(ExpectedConditions.elementToBeClickable(new org.openqa.selenium.support.pagefactory.ByChained(
                By.id("panel-campaigns"), button)));
    }

    private static WebElement visible(String id) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    }
}
