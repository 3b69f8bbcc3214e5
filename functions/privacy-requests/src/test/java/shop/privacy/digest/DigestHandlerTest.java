package shop.privacy.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.dynamo.DynamoItems;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.Mailbox;
import shop.local.stack.SentMail;
import shop.privacy.requests.PrivacyRequestsHandlerAccess;
import shop.privacy.testing.Events;

/** The scheduled function, fed the EventBridge sample event, against the local stand-ins. */
@ExtendWith(LocalAwsExtension.class)
class DigestHandlerTest {
    /** The schedule firing twice the same day (EventBridge delivers at least once) mails the owner one digest. */
    @Test
    void theOwnerGetsTheOpenRequestsWithDaysLeftOnceADay(LocalAws aws, Mailbox mailbox) {
        String address = "digest-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        PrivacyRequestsHandlerAccess.submit(aws, "{\"email\":\"" + address + "\",\"type\":\"access\"}");
        var handler = new DigestHandler(aws.functionEnvironment("PrivacyDigestFunction", Map.of()));

        var result = handler.handleRequest(Events.scheduled("daily-digest.json"), null);
        var again = handler.handleRequest(Events.scheduled("daily-digest.json"), null);

        assertTrue((Integer) result.get("open") >= 1, result.toString());
        assertEquals("MAILED", result.get("outcome"), result.toString());
        assertEquals("MAILED_BEFORE", again.get("outcome"), again.toString());
        // The owner defaults to the sender address when ShopOwnerAddress is empty.
        List<SentMail> digests = mailbox.to("shop@localhost.test").stream()
                .filter(m -> m.subject().startsWith("[privacy]") && m.subject().contains("open request")).toList();
        assertEquals(1, digests.size(), digests.toString());
        SentMail digest = digests.get(0);
        assertTrue(digest.text().contains("access") && digest.text().contains("day(s) left"), digest.text());
        assertTrue(!digest.text().contains(address), "no addresses in the owner's mail");
        var day = aws.dynamo().getItem(b -> b.tableName(aws.physicalName("PrivacyRequestsTable"))
                .key(DynamoItems.key("MAIL#PRIVACY_DIGEST#" + LocalDate.now(ZoneOffset.UTC)))).item();
        assertEquals("SENT", day.get("status").s());
        assertEquals(digest.messageId(), day.get("messageId").s());
    }
}
