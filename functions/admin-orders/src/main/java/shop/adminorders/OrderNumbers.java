package shop.adminorders;

import java.util.Collection;
import java.util.Map;

/**
 * The numbers people know orders by ({@code 7KQ4-M2XD}: the packing slip, the mails, the Orders tab), for lines that
 * name an order by its id (the Stripe session id of {@code ORDER#cs_...}).
 */
public interface OrderNumbers {

    /**
     * The number of each of {@code orderIds} that is a live order, by id, read together (one batch read for a page of
     * the trail, never one read per line); an id with no live order is absent.
     */
    Map<String, String> of(Collection<String> orderIds);
}
