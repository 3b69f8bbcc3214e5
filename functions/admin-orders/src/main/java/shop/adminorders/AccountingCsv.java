package shop.adminorders;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import shop.commerce.StripeCurrency;

/**
 * The accounting export, one order a line: number, date, status, items, amounts, refunds,
 * currency, country. No email, no address, no name (the accountant needs none), and no card
 * data (the shop has none). Every cell is quoted, and one a spreadsheet would run as a formula
 * (starting with = + - @, a tab or a carriage return) gets a leading apostrophe.
 */
final class AccountingCsv {
    static final List<String> HEADER = List.of("order_number", "created_at", "status", "items", "currency", "subtotal",
            "shipping", "discount", "tax", "total", "refunded", "refunds", "country");

    private final StringBuilder csv = new StringBuilder();
    private int rows;

    AccountingCsv() {
        line(HEADER);
    }

    void add(Map<String, Object> order) {
        String currency = text(order.get("currency"));
        List<String> cells = new ArrayList<>();
        cells.add(text(order.get("orderNumber")));
        cells.add(text(order.get("createdAt")));
        cells.add(text(order.get("status")));
        cells.add(items(order.get("items")));
        cells.add(currency.toUpperCase(Locale.ROOT));
        for (String amount : List.of("amountSubtotal", "amountShipping", "amountDiscount", "amountTax", "amountTotal",
                "amountRefunded")) {
            cells.add(amount(order.get(amount), currency));
        }
        cells.add(refunds(order.get("refunds"), currency));
        cells.add(text(order.get("country")));
        line(cells);
        rows++;
    }

    int rows() {
        return rows;
    }

    String text() {
        return csv.toString();
    }

    /** Quoted, quotes doubled, and a leading apostrophe where a spreadsheet would see a formula. */
    static String cell(String value) {
        String safe = value;
        if (!safe.isEmpty() && "=+-@\t\r".indexOf(safe.charAt(0)) >= 0) {
            safe = "'" + safe;
        }
        return "\"" + safe.replace("\"", "\"\"") + "\"";
    }

    private void line(List<String> cells) {
        csv.append(String.join(",", cells.stream().map(AccountingCsv::cell).toList())).append("\r\n");
    }

    private static String items(Object value) {
        if (!(value instanceof List<?> lines)) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (Object line : lines) {
            if (line instanceof Map<?, ?> map) {
                String sku = text(map.get("sku"));
                parts.add(text(map.get("quantity")) + " x " + text(map.get("name")) + (sku.isEmpty() ? "" : " (" + sku + ")"));
            }
        }
        return String.join("; ", parts);
    }

    /** Refunds as the refunds feature records them (a list of maps with id, amount, at); empty without. */
    private static String refunds(Object value, String currency) {
        if (!(value instanceof List<?> list)) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (Object refund : list) {
            if (refund instanceof Map<?, ?> map) {
                // A refund Stripe failed or canceled since returned nothing: named so, and not in "refunded".
                parts.add(String.join(" ", List.of(text(map.get("at")), amount(map.get("amount"), currency),
                        text(map.get("stripeRefundId")), text(map.get("failure"))).stream().filter(s -> !s.isEmpty())
                        .toList()));
            }
        }
        return String.join("; ", parts);
    }

    /**
     * Stripe's amount as a decimal in the digits people write (18500 USD → 185.00, 500 JPY → 500,
     * 2500000 ISK → 25000, 12340 KWD → 12.340), as StripeCurrency counts them.
     */
    static String amount(Object minor, String currency) {
        if (!(minor instanceof Number number)) {
            return "";
        }
        StripeCurrency counted;
        try {
            counted = StripeCurrency.of(currency);
        } catch (IllegalArgumentException unknown) {
            // Stripe's currencies are ISO 4217; two digits is right for nearly all of them.
            return BigDecimal.valueOf(number.longValue(), 2).toPlainString();
        }
        BigDecimal major = counted.major(number.longValue());
        return (counted.charges(number.longValue()) ? major.setScale(counted.shownDigits()) : major).toPlainString();
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }
}
