package shop.commerce.orders;

import shop.core.errors.InvalidInputException;

/**
 * Checks for the free-text fields a person sends (a name, address lines): one line, printable,
 * bounded. They are shown on a page, in the owner's mail and, once applied, on orders and their
 * mails; escaping protects those, and refusing what no name or address holds keeps a corrected
 * order from carrying markup or text that reads differently from what it says.
 */
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
        if (text.codePoints().anyMatch(TextField::refused)) {
            throw new InvalidInputException(field, "\"" + field + "\" is one line of plain text: no control or"
                    + " invisible formatting characters, and no < or >.");
        }
        return text;
    }

    /**
     * Control characters and line breaks; invisible format characters such as bidi overrides,
     * zero-width spaces and byte order marks (the joiners ZWNJ and ZWJ stay: some scripts and
     * emoji need them); unpaired surrogates; the replacement character, which is what invalid
     * UTF-8 became on the way in; and the angle brackets of markup.
     */
    private static boolean refused(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.SURROGATE, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            case Character.FORMAT -> c != 0x200C && c != 0x200D;
            default -> c == '<' || c == '>' || c == 0xFFFD;
        };
    }
}
