package shop.catalog;

import java.util.List;
import shop.commerce.Money;
import shop.commerce.catalog.Product;

/** A product as the storefront shows it: no stock count, just whether it can be bought. */
public record ProductView(String sku, String name, String description, Price price, List<String> images,
                          String availability) {
    public static final String IN_STOCK = "in_stock";
    public static final String SOLD_OUT = "sold_out";

    /** {@code amount} in minor units for code, {@code formatted} for people. */
    public record Price(long amount, String currency, String formatted) {
        static Price of(Money money) {
            return new Price(money.amount(), money.currency(), money.format());
        }
    }

    static ProductView of(Product product) {
        return new ProductView(product.sku(), product.name(), product.description(), Price.of(product.price()),
                product.images(), product.stock() > 0 ? IN_STOCK : SOLD_OUT);
    }
}
