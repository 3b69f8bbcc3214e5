package shop.core.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import shop.core.config.Env;

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
        BackOfficeLinks links = BackOfficeLinks.fromEnvironment(Env.of(Map.of()));

        assertEquals(Optional.empty(), links.order("cs_test_a1B2"));
        assertEquals(Optional.empty(), links.orderNumber("7KQ4-M2XD"));
        assertEquals(Optional.empty(), links.privacyRequests());
    }

    @Test
    void theFunctionsEnvironmentNamesThePageAsAdminPageUrlAndAnEmptyOneIsNone() {
        assertEquals(Optional.of("https://admin.example.com/#privacy"), BackOfficeLinks
                .fromEnvironment(Env.of(Map.of("ADMIN_PAGE_URL", "https://admin.example.com/"))).privacyRequests());
        assertEquals(Optional.empty(), BackOfficeLinks.fromEnvironment(Env.of(Map.of("ADMIN_PAGE_URL", ""))).privacyRequests());
        assertThrows(IllegalArgumentException.class,
                () -> BackOfficeLinks.fromEnvironment(Env.of(Map.of("ADMIN_PAGE_URL", "http://admin.example.com/"))));
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
