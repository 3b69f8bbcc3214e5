package shop.adminorders.waiting;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import shop.core.dynamo.DynamoSendClaims;
import shop.core.mail.SendClaim;
import shop.core.retention.RetentionSchedule;
import shop.core.snapstart.Priming;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The morning mail's day claims in the orders table beside the order mails' claims, one item
 * {@code MAIL#ORDERS_WAITING#<yyyy-MM-dd>} in the shape of {@link DynamoSendClaims} (no order id: it
 * is in no index), kept a week ({@link RetentionSchedule#ORDERS_WAITING_MAIL_CLAIM}). The function
 * may write no other item of the table (template.yaml: {@code dynamodb:LeadingKeys}).
 */
public final class DynamoDayClaims implements DayClaims {
    static final String PREFIX = "MAIL#ORDERS_WAITING#";

    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoSendClaims claims;

    public DynamoDayClaims(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
        this.claims = new DynamoSendClaims(dynamo, table);
    }

    @Override
    public SendClaim claim(LocalDate day, String token, Instant now, Instant staleBefore) {
        return claims.claim(pk(day), token, now, staleBefore, RetentionSchedule.ORDERS_WAITING_MAIL_CLAIM.expiresAt(now),
                Map.of());
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
    void prime() {
        Priming.dynamo(dynamo, table, "pk", PREFIX + "priming-never-claimed", Priming.DynamoCall.GET,
                Priming.DynamoCall.UPDATE, Priming.DynamoCall.DELETE);
    }

    static String pk(LocalDate day) {
        return PREFIX + day;
    }
}
