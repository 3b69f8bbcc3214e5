package shop.core.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import shop.core.email.EmailAddress;
import shop.core.security.AddressHasher;

class MarketingMailerTest {
    private final AddressHasher hasher = new AddressHasher("test-key-test-key-test-key-test-key!");
    private final List<Email> sent = new ArrayList<>();
    private final Mailer mailer = email -> {
        sent.add(email);
        return "m-" + sent.size();
    };

    @Test
    void aSuppressedAddressGetsNoMarketingMailWhateverTheList() {
        Set<String> suppressed = Set.of(hasher.hash(new EmailAddress("gone@example.com")));
        var marketing = new MarketingMailer(mailer, suppressed::contains, hasher);

        assertThrows(MarketingMailer.SuppressedAddressException.class, () -> marketing.send(offer("Gone@Example.com")));
        assertEquals("m-1", marketing.send(offer("still@example.com")));
        assertEquals(List.of("still@example.com"), sent.stream().map(e -> e.to().value()).toList());
    }

    private static Email offer(String to) {
        return new Email(new EmailAddress(to), "New rings", "<p>New rings</p>", "New rings", Map.of());
    }
}
