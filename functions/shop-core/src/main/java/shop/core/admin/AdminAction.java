package shop.core.admin;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the back office's append-only audit trail: who did what to which record, when,
 * and the record's relevant fields before and after (JSON, without card data).
 *
 * @param subject   what it touched: {@code ORDER#<id>}, {@code PRODUCT#<sku>}, {@code STAFF#<sub>}, ...
 * @param at        when
 * @param actor     the caller's Cognito {@code sub}
 * @param actorName the caller's username, as people read the trail
 * @param action    a verb, e.g. {@code order.shipped}, {@code order.refunded}, {@code product.price_changed}
 * @param before    JSON of what changed, before ({@code null} for a creation)
 * @param after     JSON of what changed, after
 * @param expiresAt epoch seconds: kept as long as the record it touches (an order's own expiry)
 */
public record AdminAction(String subject, Instant at, String actor, String actorName, String action,
                          String before, String after, long expiresAt) {
    public AdminAction {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
    }

    public static AdminAction by(AdminCaller caller, String subject, String action, Instant at, String before,
                                 String after, long expiresAt) {
        return new AdminAction(subject, at, caller.subject(), caller.username(), action, before, after, expiresAt);
    }
}
