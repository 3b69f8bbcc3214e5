package shop.core.dynamo;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import shop.core.mail.DayClaims;
import shop.core.mail.SendClaim;
import shop.core.retention.RetentionRule;
import shop.core.snapstart.Priming;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A daily mail's day claims, one item {@code <prefix><yyyy-MM-dd>} in {@code table} in the shape
 * of {@link DynamoSendClaims} (no order id: it is in no index; no address, no content), kept as
 * long as the mail's {@link RetentionRule} says. The prefix is the mail's own (the morning mail of
 * what waits: {@code MAIL#ORDERS_WAITING#} in the orders table; the privacy digest:
 * {@code MAIL#PRIVACY_DIGEST#} in the privacy requests table), and its function may write no other
 * item of the table (template.yaml: {@code dynamodb:LeadingKeys}).
 */
public final class DynamoDayClaims implements DayClaims {
    private final DynamoDbClient dynamo;
    private final String table;
    private final String prefix;
    private final RetentionRule retention;
    private final DynamoSendClaims claims;

    public DynamoDayClaims(DynamoDbClient dynamo, String table, String prefix, RetentionRule retention) {
        if (!prefix.endsWith("#")) {
            throw new IllegalArgumentException("A day claim's prefix ends with #: " + prefix);
        }
        this.dynamo = dynamo;
        this.table = table;
        this.prefix = prefix;
        this.retention = retention;
        this.claims = new DynamoSendClaims(dynamo, table);
    }

    @Override
    public SendClaim claim(LocalDate day, String token, Instant now, Instant staleBefore) {
        return claims.claim(pk(day), token, now, staleBefore, retention.expiresAt(now), Map.of());
    }

    @Override
    public void markSent(LocalDate day, String messageId, Instant at) {
        claims.markSent(pk(day), messageId, at);
    }

    @Override
    public void release(LocalDate day, String token) {
        claims.release(pk(day), token);
    }

    /** A claim's read, update and delete on a day no run claims (its writes refused by their condition). */
    public void prime() {
        Priming.dynamo(dynamo, table, "pk", prefix + "priming-never-claimed", Priming.DynamoCall.GET,
                Priming.DynamoCall.UPDATE, Priming.DynamoCall.DELETE);
    }

    /** The key of {@code day}'s claim. */
    public String pk(LocalDate day) {
        return prefix + day;
    }
}
