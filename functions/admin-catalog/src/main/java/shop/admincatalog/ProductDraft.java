package shop.admincatalog;

import java.util.List;
import shop.commerce.Money;

/** What the owner typed for a new product, or the details of an edit (stock changes by deltas only). */
public record ProductDraft(String sku, String name, String description, Money price, int stock, List<String> images,
                           String taxCode, boolean oneOfAKind) {
    public ProductDraft {
        images = images == null ? List.of() : List.copyOf(images);
    }
}
