package shop.commerce.orders;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;

/**
 * How an order was handed to the carrier, as the back office recorded it (the order item's
 * {@code shipment} map). The tracking URL is https only: it goes into the customer's mail as a link.
 *
 * @param by the username of who recorded it
 * @param corrections how often the back office corrected carrier, number or link since (0: as first recorded);
 *                    each correction's mail is claimed by its number
 */
public record Shipment(String carrier, String trackingNumber, String trackingUrl, Instant shippedAt, String by,
                       int corrections) {
    public static final int MAX_CARRIER = 60;
    public static final int MAX_TRACKING_NUMBER = 60;
    public static final int MAX_TRACKING_URL = 500;

    public Shipment {
        carrier = line("carrier", carrier, MAX_CARRIER);
        trackingNumber = line("trackingNumber", trackingNumber, MAX_TRACKING_NUMBER);
        trackingUrl = trackingUrl(trackingUrl);
        if (shippedAt == null || by == null || by.isBlank()) {
            throw new IllegalArgumentException("A shipment says when and by whom");
        }
        if (corrections < 0) {
            throw new IllegalArgumentException("A shipment is corrected zero or more times");
        }
    }

    /** A shipment as first recorded, never corrected. */
    public Shipment(String carrier, String trackingNumber, String trackingUrl, Instant shippedAt, String by) {
        this(carrier, trackingNumber, trackingUrl, shippedAt, by, 0);
    }

    /** This shipment with {@code parcel}'s carrier, number and link: one more correction; when and by whom it left stay. */
    public Shipment correctedTo(Shipment parcel) {
        return new Shipment(parcel.carrier, parcel.trackingNumber, parcel.trackingUrl, shippedAt, by, corrections + 1);
    }

    /** The same parcel: carrier, tracking number and link (who pressed the button, and when, may differ). */
    public boolean sameParcelAs(Shipment other) {
        return carrier.equals(other.carrier) && trackingNumber.equals(other.trackingNumber)
                && trackingUrl.equals(other.trackingUrl);
    }

    private static String line(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("\"" + field + "\" is required.");
        }
        // Checked before strip(), which would hide a line break at either end. An unpaired surrogate is no text at all:
        // it cannot be written as UTF-8, so DynamoDB would refuse the whole write (a 503 that no retry cures).
        if (value.codePoints().anyMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.SURROGATE)) {
            throw new IllegalArgumentException("\"" + field + "\" is one line of printable text.");
        }
        String stripped = value.strip();
        if (stripped.length() > max) {
            throw new IllegalArgumentException("\"" + field + "\" has at most " + max + " characters.");
        }
        return stripped;
    }

    private static String trackingUrl(String value) {
        String url = line("trackingUrl", value, MAX_TRACKING_URL);
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("\"trackingUrl\" is not a valid URL.");
        }
        if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals("https") || uri.getHost() == null
                || uri.getHost().isBlank() || uri.getRawUserInfo() != null || !uri.isAbsolute() || url.contains(" ")
                || url.contains("\"") || url.contains("<") || url.contains(">") || url.contains("\\")) {
            throw new IllegalArgumentException("\"trackingUrl\" must be an https:// link to the carrier's tracking page.");
        }
        return url;
    }
}
