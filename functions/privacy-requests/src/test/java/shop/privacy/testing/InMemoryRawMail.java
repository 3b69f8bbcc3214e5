package shop.privacy.testing;

import java.util.HashSet;
import java.util.Set;
import shop.privacy.RawMail;

public final class InMemoryRawMail implements RawMail {
    public final Set<String> stored = new HashSet<>();

    @Override
    public void delete(String messageId) {
        stored.remove(messageId);
    }
}
