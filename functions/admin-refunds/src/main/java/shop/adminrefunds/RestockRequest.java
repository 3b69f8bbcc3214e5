package shop.adminrefunds;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import shop.core.errors.InvalidInputException;

/**
 * Which of an order's pieces go back on sale: {@code lines} (SKU and how many), each checked against
 * {@code read}, the order's {@code restockedPieces} counts as the page read them (SKU to count, a SKU left
 * out read as 0), so a repeated or stale request never puts a piece back twice. {@link #EVERYTHING}
 * (no lines) is every piece not back yet, as the order stands when the request reads it.
 */
public record RestockRequest(List<Line> lines, Map<String, Integer> read) {
    /** Every piece of the order not back on sale yet. */
    public static final RestockRequest EVERYTHING = new RestockRequest(null, null);
    /** An order's lines are few; more than this in one request is not a page's. */
    static final int MAX_LINES = 100;
    static final String LINES = "\"lines\" is a list of {\"sku\", \"quantity\"}: each SKU of the order once, and how"
            + " many of its pieces came back (1 or more).";
    static final String READ = "\"restockedPieces\" is the order's restockedPieces counts as the page read them (SKU to how many"
            + " pieces are back, {} when none): reload the order and choose again.";

    /** {@code quantity} pieces of {@code sku} back on sale. */
    public record Line(String sku, int quantity) {
        public Line {
            if (sku == null || sku.isBlank() || sku.length() > 200 || quantity < 1) {
                throw new InvalidInputException("lines", LINES);
            }
        }
    }

    public RestockRequest {
        if (lines != null) {
            if (lines.isEmpty() || lines.size() > MAX_LINES) {
                throw new InvalidInputException("lines", LINES);
            }
            Set<String> skus = new HashSet<>();
            for (Line line : lines) {
                if (line == null || !skus.add(line.sku())) {
                    throw new InvalidInputException("lines", "Each SKU at most once in \"lines\": " + LINES);
                }
            }
            lines = List.copyOf(lines);
            if (read == null || read.size() > MAX_LINES
                    || read.entrySet().stream().anyMatch(e -> e.getKey() == null || e.getValue() == null || e.getValue() < 0)) {
                throw new InvalidInputException("restockedPieces", READ);
            }
            read = new TreeMap<>(read);
        } else if (read != null) {
            throw new InvalidInputException("lines", "Send \"lines\" with \"restockedPieces\" (or neither, for every piece"
                    + " not back on sale yet).");
        }
    }

    public boolean everything() {
        return lines == null;
    }

    /** How many pieces of {@code sku} the page read as back on sale. */
    public int readOf(String sku) {
        return read.getOrDefault(sku, 0);
    }
}
