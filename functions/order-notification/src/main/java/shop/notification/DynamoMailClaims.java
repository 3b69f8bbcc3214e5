package shop.notification;

import static shop.core.dynamo.DynamoItems.s;

import java.time.Instant;
import java.util.Map;
import shop.commerce.orders.OrderIndexes;
import shop.core.dynamo.DynamoSendClaims;
import shop.core.mail.SendClaim;
import shop.core.retention.RetentionSchedule;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Mail claims in the orders table, one item {@code MAIL#<order id>#<kind>} (with {@code #<refund or
 * dispute id>} for the mails sent once per refund or dispute), in the shape of
 * {@link DynamoSendClaims}, plus the order id (the {@code mailsByOrder} index's key, so an order's
 * detail and its customer's access request find its mails with a Query). No address and no content.
 */
final class DynamoMailClaims implements MailClaims {
    private final DynamoSendClaims claims;

    DynamoMailClaims(DynamoDbClient dynamo, String table) {
        this.claims = new DynamoSendClaims(dynamo, table);
    }

    @Override
    public SendClaim claim(String orderId, MailKind kind, String ref, String token, Instant now, Instant staleBefore) {
        return claims.claim(pk(orderId, kind, ref), token, now, staleBefore,
                RetentionSchedule.ORDER_MAIL_CLAIM.expiresAt(now), Map.of(OrderIndexes.MAIL_ORDER_ID, s(orderId)));
    }

    @Override
    public void markSent(String orderId, MailKind kind, String ref, String messageId, Instant at) {
        claims.markSent(pk(orderId, kind, ref), messageId, at);
    }

    @Override
    public void release(String orderId, MailKind kind, String ref, String token) {
        claims.release(pk(orderId, kind, ref), token);
    }

    private static String pk(String orderId, MailKind kind, String ref) {
        return "MAIL#" + orderId + "#" + kind.name() + (ref == null ? "" : "#" + ref);
    }
}
