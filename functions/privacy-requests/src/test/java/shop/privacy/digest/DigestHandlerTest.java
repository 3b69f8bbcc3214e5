package shop.privacy.digest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.Mailbox;
import shop.local.stack.SentMail;
import shop.privacy.requests.PrivacyRequestsHandlerAccess;
import shop.privacy.testing.Events;

/** The scheduled function, fed the EventBridge sample event, against the local stand-ins. */
@ExtendWith(LocalAwsExtension.class)
class DigestHandlerTest {
    @Test
    void theOwnerGetsTheOpenRequestsWithDaysLeft(LocalAws aws, Mailbox mailbox) {
        String address = "digest-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        PrivacyRequestsHandlerAccess.submit(aws, "{\"email\":\"" + address + "\",\"type\":\"access\"}");
        var handler = new DigestHandler(aws.functionEnvironment("PrivacyDigestFunction", Map.of()));

        var result = handler.handleRequest(Events.scheduled("daily-digest.json"), null);

        assertTrue((Integer) result.get("open") >= 1, result.toString());
        // The owner defaults to the sender address when ShopOwnerAddress is empty.
        SentMail digest = mailbox.to("shop@localhost.test").stream()
                .filter(m -> m.subject().startsWith("[privacy]") && m.subject().contains("open request"))
                .reduce((first, second) -> second).orElseThrow();
        assertTrue(digest.text().contains("access") && digest.text().contains("day(s) left"), digest.text());
        assertTrue(!digest.text().contains(address), "no addresses in the owner's mail");
    }
}
