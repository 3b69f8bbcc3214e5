package shop.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import shop.commerce.orders.ShippingAddress;
import shop.core.errors.InvalidInputException;

/** What a correction may hold: the names and addresses people have, nothing that renders or hides. */
class CorrectionTest {

    @Test
    void namesAndAddressesOfRealPeopleAreAccepted() {
        for (String name : new String[] {"Ada Lovelace", "Zoë O'Brien-Smith", "José Ñúñez", "Леся Українка",
                "محمد علي", "नमस्ते", "Ada 💍", "👩‍👩‍👧 Family", "Smith & Sons"}) {
            assertEquals(name, new Correction(Optional.of(name), Optional.empty()).name().orElseThrow(), name);
        }
        var address = new ShippingAddress(" 12 Harbor Road ", "Apt. #4", "04101", "Portland", "ME", "US");
        assertEquals("12 Harbor Road", address.line1());
    }

    @Test
    void markupControlAndInvisibleCharactersAreRefusedNamingTheField() {
        for (String name : new String[] {"<script>alert(1)</script>", "Ada <img src=x onerror=alert(1)>",
                "Ada\r\nBcc: eve@example.com", "Ada\u0000", "Ada\tLovelace", "Ada \u202eecalevoL",
                "Ada \u2067Lovelace\u2069", "Ada\u200bLovelace", "\ufeffAda", "Ada\ud800", "Ada\u2028Lovelace",
                "Ada\u00adLovelace", "Ada\ufffdscript\ufffd"}) {
            var e = assertThrows(InvalidInputException.class,
                    () -> new Correction(Optional.of(name), Optional.empty()), name);
            assertEquals("correction.name", e.field());
        }
        var e = assertThrows(InvalidInputException.class,
                () -> ShippingAddress.of("correction.shippingAddress", "12 Harbor Road", "<b>", null, "Portland", null, "US"));
        assertEquals("correction.shippingAddress.line2", e.field());
    }
}
