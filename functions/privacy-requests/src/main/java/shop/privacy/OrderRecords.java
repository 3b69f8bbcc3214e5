package shop.privacy;

import java.time.Instant;
import java.util.List;
import shop.core.email.EmailAddress;

/**
 * The commerce tables as far as one person's data goes (template.yaml's OrdersTable and
 * CheckoutsTable). Orders are found by their customer email, compared normalised, so the
 * spelling a customer typed at Stripe does not hide an order.
 */
public interface OrderRecords {
    OrderData find(EmailAddress address);

    /**
     * Removes name, email, phone and every address line of the person's orders; SKUs, amounts,
     * currency, dates and country stay (tax law needs them). An order paid and still to ship keeps
     * its name and shipping address until it ships or is refunded in full (the contract still needs
     * them, GDPR art. 17(3)(b) with 6(1)(b)); everything else personal goes now. Returns the ids of
     * the orders changed, and which of them keep name and shipping address for now.
     */
    Erased anonymise(EmailAddress address, Instant at);

    /** The orders an erasure changed; {@code keptToShip} is the part of them still to ship. */
    record Erased(List<String> orders, List<String> keptToShip) {
        public Erased {
            orders = List.copyOf(orders);
            keptToShip = List.copyOf(keptToShip);
        }
    }

    /**
     * Sets the name and/or shipping address of the person's orders that are not fulfilled yet
     * (pending payment or paid, no {@code fulfilledAt}). Returns the ids of the orders changed.
     */
    List<String> correct(EmailAddress address, Correction correction, Instant at);

    /**
     * Moves every order of {@code from} to {@code to}: the customer email and its keyed hash, so the
     * orders are found under the new address. Returns the ids of the orders moved.
     */
    List<String> changeEmail(EmailAddress from, EmailAddress to, Instant at);
}
