package shop.notification;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Mail claims in memory, with the DynamoDB store's rules. */
final class InMemoryMailClaims implements MailClaims {
    record Row(String status, String token, Instant claimedAt, String messageId) {
    }

    final Map<String, Row> rows = new ConcurrentHashMap<>();

    @Override
    public synchronized Claim claim(String orderId, MailKind kind, String token, Instant now, Instant staleBefore) {
        String key = orderId + "#" + kind;
        Row row = rows.get(key);
        if (row == null || ("CLAIMED".equals(row.status()) && row.claimedAt().getEpochSecond() < staleBefore.getEpochSecond())) {
            rows.put(key, new Row("CLAIMED", token, now, null));
            return Claim.CLAIMED;
        }
        return "SENT".equals(row.status()) ? Claim.ALREADY_SENT : Claim.HELD_ELSEWHERE;
    }

    @Override
    public synchronized void markSent(String orderId, MailKind kind, String messageId, Instant at) {
        Row row = rows.get(orderId + "#" + kind);
        rows.put(orderId + "#" + kind, new Row("SENT", null, row == null ? at : row.claimedAt(), messageId));
    }

    @Override
    public synchronized void release(String orderId, MailKind kind, String token) {
        rows.computeIfPresent(orderId + "#" + kind, (k, row) -> token.equals(row.token()) ? null : row);
    }
}
