package shop.admincatalog;

import java.util.Map;

/** Pieces held for checkouts still open (taken from the stock, not yet paid or given back). */
public interface HeldStock {
    /** SKU → pieces held; SKUs with nothing held are absent. */
    Map<String, Integer> heldBySku();
}
