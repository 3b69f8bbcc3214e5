package shop.core.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BackOfficeLinksTest {

    @Test
    void linksOpenTheOrderTheSearchOrThePrivacyTabOnThePage() {
        BackOfficeLinks links = BackOfficeLinks.at("https://admin.example.com/");

        assertEquals(Optional.of("https://admin.example.com/#order=cs_test_a1B2"), links.order("cs_test_a1B2"));
        assertEquals(Optional.of("https://admin.example.com/#number=7KQ4-M2XD"), links.orderNumber("7KQ4-M2XD"));
        assertEquals(Optional.of("https://admin.example.com/#privacy"), links.privacyRequests());
        // An id is never taken as more of the fragment than itself.
        assertEquals(Optional.of("https://admin.example.com/#order=a%26number%3Db"), links.order("a&number=b"));
    }

    @Test
    void withoutAnAddressTheMailsCarryNoLink() {
        BackOfficeLinks links = BackOfficeLinks.from(Optional.empty());

        assertEquals(Optional.empty(), links.order("cs_test_a1B2"));
        assertEquals(Optional.empty(), links.orderNumber("7KQ4-M2XD"));
        assertEquals(Optional.empty(), links.privacyRequests());
    }

    @Test
    void theLocalRunsPlainHttpPageIsAccepted() {
        assertEquals(Optional.of("http://localhost:3000/admin/#privacy"),
                BackOfficeLinks.at("http://localhost:3000/admin/").privacyRequests());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://admin.example.com/", "javascript:alert(1)", "https://", "https://u:p@admin.example.com/",
            "https://admin.example.com/#x", "https://admin.example.com/?q=1", "not a url", "ftp://admin.example.com/"})
    void anAddressAnOwnerShouldNotBeSentToIsRefusedAtStart(String url) {
        assertThrows(IllegalArgumentException.class, () -> BackOfficeLinks.at(url));
    }
}
