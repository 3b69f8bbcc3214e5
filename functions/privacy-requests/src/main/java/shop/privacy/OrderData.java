package shop.privacy;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One person's records in the commerce tables, as stored (plain values): their orders, the
 * mail records of those orders, the checkout reservations behind them, the spellings of the
 * address the orders carry and any Stripe customer ids they name.
 */
public record OrderData(List<Map<String, Object>> orders, List<Map<String, Object>> orderMails,
                        List<Map<String, Object>> checkouts, Set<String> emailSpellings,
                        Set<String> stripeCustomerIds) {
    public OrderData {
        orders = List.copyOf(orders);
        orderMails = List.copyOf(orderMails);
        checkouts = List.copyOf(checkouts);
        emailSpellings = Set.copyOf(emailSpellings);
        stripeCustomerIds = Set.copyOf(stripeCustomerIds);
    }
}
