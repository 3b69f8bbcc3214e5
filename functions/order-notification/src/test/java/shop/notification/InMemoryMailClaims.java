package shop.notification;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import shop.core.mail.SendClaim;

/** Mail claims in memory, with the DynamoDB store's rules. */
final class InMemoryMailClaims implements MailClaims {
    record Row(String status, String token, Instant claimedAt, String messageId) {
    }

    final Map<String, Row> rows = new ConcurrentHashMap<>();

    @Override
    public synchronized SendClaim claim(String orderId, MailKind kind, String ref, String token, Instant now,
                                    Instant staleBefore) {
        String key = key(orderId, kind, ref);
        Row row = rows.get(key);
        if (row == null || ("CLAIMED".equals(row.status()) && row.claimedAt().getEpochSecond() < staleBefore.getEpochSecond())) {
            rows.put(key, new Row("CLAIMED", token, now, null));
            return SendClaim.CLAIMED;
        }
        return "SENT".equals(row.status()) ? SendClaim.ALREADY_SENT : SendClaim.HELD_ELSEWHERE;
    }

    @Override
    public synchronized void markSent(String orderId, MailKind kind, String ref, String messageId, Instant at) {
        Row row = rows.get(key(orderId, kind, ref));
        rows.put(key(orderId, kind, ref), new Row("SENT", null, row == null ? at : row.claimedAt(), messageId));
    }

    @Override
    public synchronized void release(String orderId, MailKind kind, String ref, String token) {
        rows.computeIfPresent(key(orderId, kind, ref), (k, row) -> token.equals(row.token()) ? null : row);
    }

    private static String key(String orderId, MailKind kind, String ref) {
        return orderId + "#" + kind + (ref == null ? "" : "#" + ref);
    }
}
