package shop.privacy;

import shop.core.errors.InvalidInputException;

/** Checks for the free-text fields a person sends: one line, printable, bounded. */
final class TextField {
    private TextField() {
    }

    static String required(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, "\"" + field + "\" is required.");
        }
        return optional(field, value, maxLength);
    }

    static String optional(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        if (text.length() > maxLength) {
            throw new InvalidInputException(field, "\"" + field + "\" has at most " + maxLength + " characters.");
        }
        if (text.chars().anyMatch(c -> Character.isISOControl(c))) {
            throw new InvalidInputException(field, "\"" + field + "\" is one line of text without control characters.");
        }
        return text;
    }
}
