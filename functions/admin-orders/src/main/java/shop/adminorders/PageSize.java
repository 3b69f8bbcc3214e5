package shop.adminorders;

import java.util.Optional;
import shop.core.errors.InvalidInputException;

/** The {@code limit} of a paged list: how many lines a page holds, the list's default when none is asked. */
final class PageSize {
    static final int MAX = 100;

    private PageSize() {
    }

    static int of(Optional<String> limit, int defaultSize) {
        if (limit.isEmpty() || limit.get().isEmpty()) {
            return defaultSize;
        }
        String value = limit.get();
        if (!value.matches("[0-9]{1,3}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > MAX) {
            throw new InvalidInputException("limit", "\"limit\" is a whole number from 1 to " + MAX + ".");
        }
        return Integer.parseInt(value);
    }
}
