package shop.commerce.orders;

import shop.commerce.Money;

/** What the customer paid, as Stripe computed it, all in one currency. */
public record OrderTotals(Money subtotal, Money shipping, Money discount, Money tax, Money total) {
    public OrderTotals {
        String currency = total.currency();
        for (Money part : new Money[] {subtotal, shipping, discount, tax}) {
            if (!part.currency().equals(currency)) {
                throw new IllegalArgumentException("Order totals are in one currency");
            }
        }
    }

    public String currency() {
        return total.currency();
    }
}
