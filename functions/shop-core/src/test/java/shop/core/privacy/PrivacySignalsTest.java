package shop.core.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrivacySignalsTest {
    @Test
    void onlyTheValueOneIsASignal() {
        assertEquals(List.of("Sec-GPC", "DNT"), PrivacySignals.of("1", " 1 ").names());
        assertTrue(PrivacySignals.of(null, "1").optOut());
        assertFalse(PrivacySignals.of("0", null).optOut());
        assertFalse(PrivacySignals.of("true", "yes").optOut(), "both specs define the value 1 only");
        assertEquals(List.of(), PrivacySignals.NONE.names());
    }
}
