package shop.adminorders;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import shop.commerce.orders.OrderEvents;
import shop.commerce.orders.OrderMessage;
import shop.commerce.orders.OrderNumber;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.OrderStep;
import shop.commerce.orders.Refund;
import shop.commerce.orders.Shipment;
import shop.commerce.orders.ShippingAddress;
import shop.core.admin.AdminAction;
import shop.core.admin.AdminCaller;
import shop.core.admin.AuditTrail;
import shop.core.email.EmailAddress;
import shop.core.errors.ConflictException;
import shop.core.errors.InvalidInputException;
import shop.core.errors.NotFoundException;
import shop.core.json.Json;
import shop.core.logging.Log;
import shop.core.retention.RetentionSchedule;

/**
 * The back office's orders: lists by status and of open disputes, an order's whole record, shipments (with the
 * customer's shipping mail queued, once) and their corrections (with the right tracking link mailed, once per
 * correction), a change of an order's shipping address at the customer's request (with the customer told, once per
 * change), an owner's acceptance of an order that needs attention (with the customer's confirmation queued, once), the packing slip and the accounting export.
 * The caller's group is checked by the handler before anything here runs; an acceptance checks it again.
 */
public final class AdminOrdersService {
    static final int DEFAULT_LIMIT = 25;
    static final int MAX_LIMIT = 100;
    /** The longest accounting export: a year (a leap year's 366 days). */
    static final int MAX_EXPORT_DAYS = 366;
    /** How long the export's download link works. */
    static final Duration EXPORT_LINK = Duration.ofMinutes(5);
    static final String ALL = "ALL";
    /** The longest note an owner's acceptance keeps in the trail. */
    static final int MAX_NOTE = 500;
    /** What {@code corrections} is, for a correction whose page sent none or a wrong one. */
    static final String CORRECTIONS_FIELD = "\"corrections\" is the shipment's corrections as the page read it"
            + " (0 when it was never corrected).";
    /** What {@code shippingVersion} is, for a change whose page sent none. */
    static final String SHIPPING_VERSION_FIELD = "\"shippingVersion\" is the order's shippingVersion as the page read it.";
    /** The mark of an order erased while to ship (shop.commerce.orders.DynamoDeferredErasure.MARKER). */
    static final String KEPT_TO_SHIP = "shippingKeptUntilDone";
    /** {@code GET /admin/orders?dispute=open}: the one value of {@code dispute}. */
    static final String OPEN_DISPUTES = "open";
    /** Attributes the detail leaves out: index keys and the keyed hash are plumbing, not the order. */
    private static final Set<String> PLUMBING = Set.of("pk", "listedAt", "createdMonth", "emailHash", "disputeOpen",
            "disputeDueBy");

    private final OrderBook book;
    private final OrderEvents events;
    private final AuditTrail trail;
    private final AccountingExports exports;
    private final AdminNames names;
    private final Clock clock;

    public AdminOrdersService(OrderBook book, OrderEvents events, AuditTrail trail, AccountingExports exports,
                              AdminNames names, Clock clock) {
        this.book = book;
        this.events = events;
        this.trail = trail;
        this.exports = exports;
        this.names = names;
        this.clock = clock;
    }

    /** {@code status}: an {@link OrderStatus} (PAID is "to ship", NEEDS_ATTENTION waits for an owner), or ALL (the default). */
    public Map<String, Object> list(Optional<String> status, Optional<String> limit, Optional<String> page) {
        String list = status.map(s -> s.strip().toUpperCase(Locale.ROOT)).filter(s -> !s.isEmpty()).orElse(ALL);
        int size = limit(limit);
        Optional<Map<String, String>> after = after(list, page);
        OrderBook.Page found;
        if (list.equals(ALL)) {
            YearMonth now = YearMonth.now(clock.withZone(ZoneOffset.UTC));
            // No order is kept longer than a paid one: the walk back stops there.
            YearMonth oldest = YearMonth.from(clock.instant().minus(RetentionSchedule.ORDER_PAID.keptFor().orElseThrow())
                    .atZone(ZoneOffset.UTC));
            found = book.newest(size, after, now, oldest);
        } else {
            found = book.byStatus(status(list), size, after);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", list);
        body.put("orders", found.orders());
        body.put("nextPage", found.next().map(key -> PageToken.encode(list, key)).orElse(null));
        return body;
    }

    /**
     * The orders with an open dispute ({@code dispute=open}), soonest evidence deadline first, each
     * line with its dispute (status, reason, amount, deadline). A disputed order keeps its status
     * (PAID, SHIPPED, ...), so this list stands beside the lists by status: without a status, a
     * number or an email.
     */
    public Map<String, Object> openDisputes(Optional<String> dispute, Optional<String> status, Optional<String> number,
                                            Optional<String> email, Optional<String> limit, Optional<String> page) {
        if (!dispute.map(d -> d.strip().toLowerCase(Locale.ROOT)).filter(OPEN_DISPUTES::equals).isPresent()) {
            throw new InvalidInputException("dispute", "\"dispute\" is \"open\": the orders whose dispute is open.");
        }
        for (var other : List.of(Map.entry("status", status), Map.entry("number", number), Map.entry("email", email))) {
            if (other.getValue().filter(v -> !v.isBlank()).isPresent()) {
                throw new InvalidInputException(other.getKey(), "The open disputes are a list of their own, whatever the"
                        + " orders' status; leave out \"" + other.getKey() + "\".");
            }
        }
        int size = limit(limit);
        String list = "DISPUTE#" + OPEN_DISPUTES;
        OrderBook.Page found = book.openDisputes(size, after(list, page));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dispute", OPEN_DISPUTES);
        body.put("orders", found.orders());
        body.put("nextPage", found.next().map(key -> PageToken.encode(list, key)).orElse(null));
        return body;
    }

    /**
     * The orders a customer's message names: by the order number the mails show ({@code number},
     * typed any way a person types it) or by the customer's email ({@code email}), newest first,
     * in the list's shape. One of the two, without a status. The address is neither logged nor
     * answered back: the answer says only that it was a search by email.
     */
    public Map<String, Object> search(Optional<String> status, Optional<String> number, Optional<String> email,
                                      Optional<String> limit, Optional<String> page) {
        if (number.isPresent() && email.isPresent()) {
            throw new InvalidInputException("number", "Search by \"number\" or by \"email\", not both.");
        }
        if (status.filter(s -> !s.isBlank()).isPresent()) {
            throw new InvalidInputException("status", "A search by number or email covers every status; leave out \"status\".");
        }
        int size = limit(limit);
        Map<String, Object> body = new LinkedHashMap<>();
        String list;
        OrderBook.Page found;
        if (number.isPresent()) {
            String canonical = OrderNumber.normalise(number.get()).orElseThrow(() -> new InvalidInputException("number",
                    "\"number\" is an order number as the shop's mails show it: 8 letters and digits like 7KQ4-M2XD."));
            list = "NUMBER#" + canonical;
            found = book.byNumber(canonical, size, after(list, page));
            body.put("search", "number");
            body.put("number", canonical);
        } else {
            EmailAddress address = EmailAddress.parse("email", email.orElse(null));
            list = "EMAIL";
            found = book.byEmail(address, size, after(list, page));
            body.put("search", "email");
        }
        body.put("orders", found.orders());
        body.put("nextPage", found.next().map(key -> PageToken.encode(list, key)).orElse(null));
        Log.info("orders_searched", Map.of("by", body.get("search"), "found", found.orders().size()));
        return body;
    }

    /**
     * The whole record: the order as stored (for an order that needs or needed the owner, with
     * {@code attentionReason}: why, written with its NEEDS_ATTENTION status, so it is there before and
     * whether or not the owner's mail went out), its mails, and its trail in the back office. Who
     * shipped, refunded or acted is named by their sign-in address (what is stored is the account's
     * generated username); a refund made in the Stripe Dashboard stays named as such.
     */
    public Map<String, Object> detail(String orderId) {
        Map<String, Object> order = existing(orderId);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", orderId);
        order.forEach((name, value) -> {
            if (!PLUMBING.contains(name)) {
                body.put(name, value);
            }
        });
        if (body.get("shipment") instanceof Map<?, ?> shipment) {
            body.put("shipment", named(shipment));
        }
        if (body.get("shippingChangedBy") instanceof String by) {
            body.put("shippingChangedBy", person(by));
        }
        body.put("shippingVersion", shippingVersion(order));
        if (body.get("refunds") instanceof List<?> refunds) {
            body.put("refunds", refunds.stream().map(r -> r instanceof Map<?, ?> refund ? named(refund) : r).toList());
        }
        List<Map<String, Object>> mails = new ArrayList<>();
        for (Map<String, Object> mail : book.mails(orderId)) {
            Map<String, Object> line = new LinkedHashMap<>();
            String pk = String.valueOf(mail.get("pk"));
            // MAIL#<order>#<kind>, or MAIL#<order>#<kind>#<refund or dispute id> for the mails sent once per refund or dispute.
            String kind = pk.substring(("MAIL#" + orderId + "#").length());
            int ref = kind.indexOf('#');
            line.put("kind", ref < 0 ? kind : kind.substring(0, ref));
            if (ref >= 0) {
                line.put("ref", kind.substring(ref + 1));
            }
            line.put("status", mail.get("status"));
            line.put("sentAt", mail.get("sentAt"));
            mails.add(line);
        }
        body.put("mails", mails);
        List<Map<String, Object>> actions = new ArrayList<>();
        for (AdminAction action : trail.of(subject(orderId))) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("at", action.at().toString());
            line.put("by", person(action.actorName()));
            line.put("action", action.action());
            line.put("before", action.before());
            line.put("after", action.after());
            actions.add(line);
        }
        body.put("trail", actions);
        return body;
    }

    /**
     * Records the shipment with its trail line (one transaction), finishes an erasure that waited
     * for it (the name and address it kept for shipping go) and queues the customer's shipping
     * mail. Pressing again with the same parcel changes nothing and queues the mail again (the
     * notification function's mail claim keeps it to one mail), so an erasure or a queue that
     * failed after the status changed is made good by pressing again; another parcel for a shipped
     * order is a conflict.
     */
    public Map<String, Object> ship(AdminCaller caller, String orderId, String carrier, String trackingNumber,
                                    String trackingUrl) {
        Instant now = clock.instant();
        Shipment shipment;
        try {
            shipment = new Shipment(carrier, trackingNumber, trackingUrl, now, caller.username());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(null, e.getMessage());
        }
        Map<String, Object> order = existing(orderId);
        String status = String.valueOf(order.get("status"));
        if (!status.equals(OrderStatus.SHIPPED.name())) {
            if (!status.equals(OrderStatus.PAID.name())) {
                throw new ConflictException("Only a paid order can be shipped; this one is " + status + ".");
            }
            AdminAction line = AdminAction.by(caller, subject(orderId), "order.shipped", now,
                    Json.write(Map.of("status", OrderStatus.PAID.name())), Json.write(shipped(shipment)),
                    expiresAt(order));
            if (book.markShipped(orderId, shipment, line)) {
                book.finishDeferredErasure(orderId);
                Log.info("order_shipped", Map.of("orderId", orderId, "carrier", shipment.carrier()));
                events.publish(new OrderMessage(OrderMessage.Type.ORDER_SHIPPED, orderId));
                return detail(orderId);
            }
            // Shipped (or refunded) between our read and our write: answer as for what is there now.
            order = existing(orderId);
        }
        Optional<Shipment> recorded = recordedShipment(order);
        if (recorded.isEmpty() || !String.valueOf(order.get("status")).equals(OrderStatus.SHIPPED.name())) {
            throw new ConflictException("This order can no longer be shipped; it is " + order.get("status") + ".");
        }
        if (!recorded.get().sameParcelAs(shipment)) {
            throw new ConflictException("This order was already shipped with another parcel ("
                    + recorded.get().carrier() + " " + recorded.get().trackingNumber() + ").");
        }
        // The same parcel again: the last press may have failed after the write (its line came with it).
        // Finish what it started: an erasure that waited for the shipment, and the mail (queued again;
        // the mail claim keeps it to one mail).
        book.finishDeferredErasure(orderId);
        events.publish(new OrderMessage(OrderMessage.Type.ORDER_SHIPPED, orderId));
        Log.info("order_shipment_repeated", Map.of("orderId", orderId));
        return detail(orderId);
    }

    /**
     * Corrects a shipped order's carrier, tracking number and link (a typo, the wrong carrier): one
     * transaction replaces them, counts the correction, notes who and when, and writes the trail line
     * with before and after, on the condition that the order is still SHIPPED with the shipment the
     * page read ({@code readCorrections}: the shipment's {@code corrections} as the page showed it, 0
     * when never corrected); then the customer's mail with the right link is queued, claimed by the
     * correction's number. {@code fulfilledAt} and who first recorded the shipment stay.
     *
     * <p>The parcel as it is stored already: nothing written, and for a corrected shipment its
     * correction's message queued again (its mail claim keeps it to one mail), so a press that failed
     * after the write is finished by pressing again. A shipment corrected since the page read it: a
     * conflict, the page reloads. Not shipped: a conflict.
     */
    public Map<String, Object> correctShipment(AdminCaller caller, String orderId, String carrier,
                                               String trackingNumber, String trackingUrl, int readCorrections) {
        Instant now = clock.instant();
        Shipment parcel;
        try {
            parcel = new Shipment(carrier, trackingNumber, trackingUrl, now, caller.username());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(null, e.getMessage());
        }
        if (readCorrections < 0) {
            throw new InvalidInputException("corrections", CORRECTIONS_FIELD);
        }
        Map<String, Object> order = existing(orderId);
        // Twice at most: a write refused by its condition is answered from what is there now.
        for (int attempt = 0; ; attempt++) {
            String status = String.valueOf(order.get("status"));
            Optional<Shipment> recorded = recordedShipment(order);
            if (!status.equals(OrderStatus.SHIPPED.name()) || recorded.isEmpty()) {
                throw new ConflictException("Only a shipped order's shipment can be corrected; this one is " + status + ".");
            }
            Shipment stored = recorded.get();
            if (stored.sameParcelAs(parcel)) {
                if (stored.corrections() > 0) {
                    queueCorrection(orderId, stored.corrections());
                }
                Log.info("order_shipment_correction_repeated", Map.of("orderId", orderId,
                        "corrections", stored.corrections()));
                return detail(orderId);
            }
            if (stored.corrections() != readCorrections || attempt > 0) {
                throw new ConflictException("This shipment was changed since the page read it (it is now "
                        + stored.carrier() + " " + stored.trackingNumber() + "); reload the order and correct it again.");
            }
            Shipment corrected = stored.correctedTo(parcel);
            AdminAction line = AdminAction.by(caller, subject(orderId), "order.shipment_corrected", now,
                    Json.write(parcel(stored)), Json.write(parcel(corrected)), expiresAt(order));
            if (book.correctShipment(orderId, stored, corrected, now, caller.username(), line)) {
                Log.info("order_shipment_corrected", Map.of("orderId", orderId, "carrier", corrected.carrier(),
                        "corrections", corrected.corrections()));
                queueCorrection(orderId, corrected.corrections());
                return detail(orderId);
            }
            order = existing(orderId);
        }
    }

    private void queueCorrection(String orderId, int correction) {
        events.publish(new OrderMessage(OrderMessage.Type.SHIPMENT_CORRECTED, orderId, Integer.toString(correction)));
    }

    /** A shipment in the trail of its corrections: the parcel and how often it had been corrected. */
    private static Map<String, Object> parcel(Shipment shipment) {
        Map<String, Object> parcel = new LinkedHashMap<>();
        parcel.put("carrier", shipment.carrier());
        parcel.put("trackingNumber", shipment.trackingNumber());
        parcel.put("trackingUrl", shipment.trackingUrl());
        parcel.put("corrections", shipment.corrections());
        return parcel;
    }

    /**
     * Changes the name and address a paid order still to ship goes to, at the customer's request (a mail or a call):
     * one transaction replaces the order's shipping address (its {@code name} and parts, and the order's country),
     * counts the change, notes who and when, and writes the trail line {@code order.shipping_address_changed}, on the
     * condition that the order is still to ship with the address the page read ({@code readVersion}: the record's
     * {@code shippingVersion}); then the customer's mail saying so is queued, claimed by the change's number. The line
     * names the parts that changed and the country before and after, never a street, a city or a name: the address
     * lives on the order only, where an erasure and the order's retention reach it.
     *
     * <p>The values as stored already: nothing written, and for an order changed before its latest change's message
     * queued again (its mail claim keeps it to one mail), so a press that failed after the write is finished by pressing
     * again. An address changed since the page read it (by the customer's own correction or someone else here): a
     * conflict, the page reads again. Not to ship (shipped, refunded, failed, unpaid, waiting for an owner's
     * acceptance) or erased on request: a conflict saying why.
     */
    public Map<String, Object> changeShippingAddress(AdminCaller caller, String orderId, String name,
                                                     ShippingAddress address, String readVersion) {
        String recipient = ShippingAddress.name("name", name);
        if (address == null) {
            throw new InvalidInputException(ShippingAddress.FIELD, "\"" + ShippingAddress.FIELD + "\" is required.");
        }
        if (readVersion == null || readVersion.isBlank()) {
            throw new InvalidInputException("shippingVersion", SHIPPING_VERSION_FIELD);
        }
        Map<String, String> changed = new LinkedHashMap<>();
        changed.put("name", recipient);
        changed.putAll(address.fields());
        Instant now = clock.instant();
        Map<String, Object> order = existing(orderId);
        // Twice at most: a write refused by its condition is answered from what is there now.
        for (int attempt = 0; ; attempt++) {
            refuseUnlessToShip(order);
            Optional<Map<String, String>> stored = shippingAddress(order);
            int changes = order.get("shippingChanges") instanceof Number n ? n.intValue() : 0;
            if (stored.isPresent() && stored.get().equals(changed)) {
                if (changes > 0) {
                    queueAddressChange(orderId, changes);
                }
                Log.info("order_shipping_address_change_repeated", Map.of("orderId", orderId, "changes", changes));
                return detail(orderId);
            }
            if (!shippingVersion(order).equals(readVersion) || attempt > 0) {
                throw new ConflictException("The shipping address of order " + order.get("orderNumber") + " was changed"
                        + " since the page read it (by the customer or someone else here); read it again and change it"
                        + " again if it still needs it.");
            }
            int change = changes + 1;
            List<String> parts = new ArrayList<>();
            for (String part : OrderBook.SHIPPING_PARTS) {
                if (!Objects.equals(stored.map(m -> m.get(part)).orElse(null), changed.get(part))) {
                    parts.add(part);
                }
            }
            Map<String, Object> before = new LinkedHashMap<>();
            before.put("country", stored.map(m -> m.get("country")).orElse(null));
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("country", changed.get("country"));
            after.put("changed", parts);
            after.put("change", change);
            AdminAction line = AdminAction.by(caller, subject(orderId), "order.shipping_address_changed", now,
                    Json.write(before), Json.write(after), expiresAt(order));
            if (book.changeShippingAddress(orderId, stored, changed, change, now, caller.username(), line)) {
                Log.info("order_shipping_address_changed", Map.of("orderId", orderId, "changed", parts, "change", change));
                queueAddressChange(orderId, change);
                return detail(orderId);
            }
            order = existing(orderId);
        }
    }

    /** A conflict saying why, unless the order is paid, not shipped and not erased: one whose address may change. */
    private static void refuseUnlessToShip(Map<String, Object> order) {
        String number = String.valueOf(order.get("orderNumber"));
        String status = String.valueOf(order.get("status"));
        String why;
        if (status.equals(OrderStatus.SHIPPED.name()) || order.get("fulfilledAt") != null) {
            why = "it has shipped: the parcel left with the address it had";
        } else if (status.equals(OrderStatus.REFUNDED.name())) {
            why = "it is refunded: there is nothing left to ship";
        } else if (status.equals(OrderStatus.FAILED.name())) {
            why = "its payment failed: there is nothing to ship";
        } else if (status.equals(OrderStatus.PENDING_PAYMENT.name())) {
            why = "it is not paid yet";
        } else if (status.equals(OrderStatus.NEEDS_ATTENTION.name())) {
            why = "it needs an owner's attention and is not to ship until an owner accepts it; change it once it is";
        } else if (order.get("erasedAt") != null || order.get(KEPT_TO_SHIP) != null) {
            why = "it was erased at the customer's request: the shop keeps only what shipping it as ordered needs,"
                    + " and no address to tell the customer of a change";
        } else if (!status.equals(OrderStatus.PAID.name())) {
            why = "it is " + status;
        } else {
            return;
        }
        throw new ConflictException("The shipping address of order " + number + " cannot be changed: " + why
                + ". Nothing was changed.");
    }

    /** The order's shipping address as stored: its parts present, as strings; empty when it has none. */
    private static Optional<Map<String, String>> shippingAddress(Map<String, Object> order) {
        if (!(order.get("shipping") instanceof Map<?, ?> shipping)) {
            return Optional.empty();
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : OrderBook.SHIPPING_PARTS) {
            if (shipping.get(part) != null) {
                parts.put(part, String.valueOf(shipping.get(part)));
            }
        }
        return Optional.of(parts);
    }

    /**
     * What the page sends back to say which address it read: a digest of the shipping address as stored (every part,
     * absent ones too). Not the address, and no secret: only what a change is conditional on.
     */
    static String shippingVersion(Map<String, Object> order) {
        Optional<Map<String, String>> address = shippingAddress(order);
        List<Object> parts = new ArrayList<>();
        parts.add(address.isPresent());
        for (String part : OrderBook.SHIPPING_PARTS) {
            parts.add(address.map(m -> m.get(part)).orElse(null));
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Json.write(parts).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    private void queueAddressChange(String orderId, int change) {
        events.publish(new OrderMessage(OrderMessage.Type.SHIPPING_ADDRESS_CHANGED, orderId, Integer.toString(change)));
    }

    /**
     * The owner has checked an order that needs attention and will honour it: NEEDS_ATTENTION →
     * PAID with its trail line (and the note), in one transaction that also takes its pieces from
     * stock when its payment took none (it names no reservation) and counts it among the day's
     * orders unless its payment did; then the customer's confirmation is queued as for any paid
     * order (the shop's "new order" mail goes with it: the order is now one to ship). A piece no
     * longer in stock is a conflict that names it, with nothing written: the owner refunds instead.
     * A piece in stock but archived (no longer sold) is a conflict that names it as archived, unless
     * the owner said to take archived pieces too ({@code takeArchived}): archiving is the owner's
     * "this is no longer for sale", which only the owner's explicit word overrides.
     * Accepting an order accepted already answers it as it is, and queues the message again only
     * if the first acceptance stopped before noting it queued (the mail claims keep each mail to one).
     */
    public Map<String, Object> accept(AdminCaller caller, String orderId, String note, boolean takeArchived) {
        caller.requireOwner();
        String cleanNote = note(note);
        Map<String, Object> order = existing(orderId);
        if (acceptedAlready(order)) {
            return acceptedAgain(orderId, order);
        }
        String status = String.valueOf(order.get("status"));
        if (!status.equals(OrderStatus.NEEDS_ATTENTION.name())) {
            throw new ConflictException("Only an order that needs attention can be accepted; this one is " + status + ".");
        }
        boolean tookStock = order.get("reservationId") != null;
        Map<String, Integer> pieces = tookStock ? Map.of() : pieces(order);
        Instant now = clock.instant();
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("status", OrderStatus.PAID.name());
        if (!pieces.isEmpty()) {
            after.put("piecesTaken", pieces);
        }
        if (!pieces.isEmpty() && takeArchived) {
            after.put("takeArchived", true);
        }
        if (cleanNote != null) {
            after.put("note", cleanNote);
        }
        AdminAction line = AdminAction.by(caller, subject(orderId), "order.accepted", now,
                Json.write(Map.of("status", OrderStatus.NEEDS_ATTENTION.name())), Json.write(after), expiresAt(order));
        LocalDate createdOn = Instant.parse(String.valueOf(order.get("createdAt"))).atZone(ZoneOffset.UTC).toLocalDate();
        OrderBook.Acceptance acceptance = book.accept(orderId, pieces, takeArchived, createdOn, now, line);
        switch (acceptance.result()) {
            case PIECE_GONE -> throw new ConflictException("Order " + order.get("orderNumber") + " cannot be accepted: "
                    + acceptance.sku() + " is no longer in stock. Nothing was changed; refund the order instead.");
            case PIECE_ARCHIVED -> throw new ConflictException("Order " + order.get("orderNumber") + " cannot be accepted"
                    + " as it stands: " + acceptance.sku() + " is archived (no longer on sale). Nothing was changed;"
                    + " if the piece is on the shelf for this customer, accept again taking archived pieces too"
                    + " (takeArchived), or refund the order.");
            case NOT_NEEDING_ATTENTION -> {
                // Accepted (or refunded) between our read and our write: answer as for what is there now.
                Map<String, Object> current = existing(orderId);
                if (acceptedAlready(current)) {
                    return acceptedAgain(orderId, current);
                }
                throw new ConflictException("This order can no longer be accepted; it is " + current.get("status") + ".");
            }
            case ACCEPTED -> {
                Log.info("order_accepted", Map.of("orderId", orderId, "lines", pieces.size()));
                queuePaid(orderId);
                return detail(orderId);
            }
        }
        throw new IllegalStateException("Unknown acceptance " + acceptance.result());
    }

    private Map<String, Object> acceptedAgain(String orderId, Map<String, Object> order) {
        if (!(order.get("done") instanceof List<?> done && done.contains(OrderStep.PAID_EFFECTS.name()))) {
            queuePaid(orderId);
        }
        Log.info("order_acceptance_repeated", Map.of("orderId", orderId));
        return detail(orderId);
    }

    /** The customer's confirmation as the webhook queues it for a paid order; then noted, so a repeat queues no more. */
    private void queuePaid(String orderId) {
        events.publish(new OrderMessage(OrderMessage.Type.ORDER_PAID, orderId));
        book.markPaidMessageQueued(orderId);
    }

    /** PAID and accepted by an owner (a paid order the webhook recorded has no {@code acceptedAt}). */
    private static boolean acceptedAlready(Map<String, Object> order) {
        return OrderStatus.PAID.name().equals(order.get("status")) && order.get("acceptedAt") != null;
    }

    /** The order's pieces by SKU; lines not from the catalog (no SKU) take nothing from stock. */
    private static Map<String, Integer> pieces(Map<String, Object> order) {
        Map<String, Integer> pieces = new LinkedHashMap<>();
        if (order.get("items") instanceof List<?> lines) {
            for (Object line : lines) {
                if (line instanceof Map<?, ?> map && map.get("sku") instanceof String sku
                        && map.get("quantity") instanceof Number quantity) {
                    pieces.merge(sku, quantity.intValue(), Integer::sum);
                }
            }
        }
        return pieces;
    }

    private static String note(String note) {
        if (note == null) {
            return null;
        }
        String clean = note.strip();
        if (clean.length() > MAX_NOTE || clean.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            throw new InvalidInputException("note", "\"note\" is at most " + MAX_NOTE + " characters of text.");
        }
        return clean.isEmpty() ? null : clean;
    }

    /** What the packer and the carrier need: order number, name, shipping address, items. No email, billing or amounts. */
    public Map<String, Object> packingSlip(String orderId) {
        Map<String, Object> order = existing(orderId);
        Map<String, Object> slip = new LinkedHashMap<>();
        slip.put("orderNumber", order.get("orderNumber"));
        Object shipping = order.get("shipping");
        Map<String, Object> address = null;
        if (shipping instanceof Map<?, ?> map) {
            address = new LinkedHashMap<>();
            for (String part : List.of("name", "line1", "line2", "postalCode", "city", "state", "country")) {
                if (map.get(part) != null) {
                    address.put(part, map.get(part));
                }
            }
        }
        Object name = address != null && address.get("name") != null ? address.get("name") : order.get("customerName");
        slip.put("name", name);
        slip.put("shippingAddress", address);
        List<Map<String, Object>> items = new ArrayList<>();
        if (order.get("items") instanceof List<?> lines) {
            for (Object line : lines) {
                if (line instanceof Map<?, ?> map) {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("sku", map.get("sku"));
                    item.put("name", map.get("name"));
                    item.put("quantity", map.get("quantity"));
                    items.add(item);
                }
            }
        }
        slip.put("items", items);
        return slip;
    }

    /** The accounting CSV of the orders created from {@code from} to {@code to} (dates, inclusive, UTC), as a 5-minute link. */
    public Map<String, Object> export(AdminCaller caller, String from, String to) {
        LocalDate first = date("from", from);
        LocalDate last = date("to", to);
        if (last.isBefore(first)) {
            throw new InvalidInputException("to", "\"to\" is on or after \"from\".");
        }
        if (ChronoUnit.DAYS.between(first, last) + 1 > MAX_EXPORT_DAYS) {
            throw new InvalidInputException("to", "An export covers at most " + MAX_EXPORT_DAYS + " days.");
        }
        AccountingCsv csv = new AccountingCsv();
        book.createdBetween(first.atStartOfDay(ZoneOffset.UTC).toInstant(),
                last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), csv::add);
        Instant now = clock.instant();
        String key = "accounting/orders-" + first + "-to-" + last + "-" + UUID.randomUUID() + ".csv";
        exports.put(key, csv.text().getBytes(StandardCharsets.UTF_8));
        trail.record(AdminAction.by(caller, "EXPORT#accounting", "orders.exported", now, null,
                Json.write(Map.of("from", first.toString(), "to", last.toString(), "orders", csv.rows())),
                RetentionSchedule.ADMIN_AUDIT.expiresAt(now)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", exports.downloadUrl(key, EXPORT_LINK).toString());
        body.put("expiresAt", now.plus(EXPORT_LINK).toString());
        body.put("orders", csv.rows());
        return body;
    }

    /** A copy of {@code record} with its {@code by} (a shipment's {@code correctedBy} too) named by the sign-in address. */
    private Map<String, Object> named(Map<?, ?> record) {
        Map<String, Object> copy = new LinkedHashMap<>();
        record.forEach((key, value) -> copy.put(String.valueOf(key), value));
        for (String who : List.of("by", "correctedBy")) {
            if (copy.get(who) instanceof String by) {
                copy.put(who, person(by));
            }
        }
        return copy;
    }

    private String person(String username) {
        if (username == null || Refund.BY_DASHBOARD.equals(username) || Refund.BY_BACK_OFFICE.equals(username)) {
            return username;
        }
        return names.signInAddress(username).orElse(username);
    }

    private Map<String, Object> existing(String orderId) {
        if (orderId == null || !orderId.matches("cs_[A-Za-z0-9_]{1,200}")) {
            throw new NotFoundException("There is no order with this id.");
        }
        return book.find(orderId).orElseThrow(() -> new NotFoundException("There is no order with this id."));
    }

    private static Optional<Shipment> recordedShipment(Map<String, Object> order) {
        if (!(order.get("shipment") instanceof Map<?, ?> map)) {
            return Optional.empty();
        }
        return Optional.of(new Shipment(String.valueOf(map.get("carrier")), String.valueOf(map.get("trackingNumber")),
                String.valueOf(map.get("trackingUrl")), Instant.parse(String.valueOf(map.get("shippedAt"))),
                String.valueOf(map.get("by")), map.get("corrections") instanceof Number n ? n.intValue() : 0));
    }

    private static Map<String, Object> shipped(Shipment shipment) {
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("status", OrderStatus.SHIPPED.name());
        after.put("carrier", shipment.carrier());
        after.put("trackingNumber", shipment.trackingNumber());
        after.put("trackingUrl", shipment.trackingUrl());
        return after;
    }

    /** The audit line lives as long as the order it touches. */
    private long expiresAt(Map<String, Object> order) {
        return order.get(RetentionSchedule.TTL_ATTRIBUTE) instanceof Number n
                ? n.longValue() : RetentionSchedule.ORDER_PAID.expiresAt(clock.instant());
    }

    private static String subject(String orderId) {
        return "ORDER#" + orderId;
    }

    private static OrderStatus status(String list) {
        try {
            return OrderStatus.valueOf(list);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("status", "\"status\" is one of "
                    + Arrays.stream(OrderStatus.values()).map(Enum::name).collect(Collectors.joining(", "))
                    + " or " + ALL + ".");
        }
    }

    private static Optional<Map<String, String>> after(String list, Optional<String> page) {
        return page.filter(p -> !p.isEmpty()).map(p -> PageToken.decode(list, p));
    }

    private static int limit(Optional<String> limit) {
        if (limit.isEmpty() || limit.get().isEmpty()) {
            return DEFAULT_LIMIT;
        }
        String value = limit.get();
        if (!value.matches("[0-9]{1,3}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > MAX_LIMIT) {
            throw new InvalidInputException("limit", "\"limit\" is a whole number from 1 to " + MAX_LIMIT + ".");
        }
        return Integer.parseInt(value);
    }

    private static LocalDate date(String field, String value) {
        if (value == null || !value.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
            throw new InvalidInputException(field, "\"" + field + "\" is a date like 2026-01-31.");
        }
        try {
            return LocalDate.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidInputException(field, "\"" + field + "\" is not a date of the calendar.");
        }
    }
}
