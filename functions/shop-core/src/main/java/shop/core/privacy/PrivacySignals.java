package shop.core.privacy;

import java.util.ArrayList;
import java.util.List;

/**
 * The browser's opt-out signals: Global Privacy Control ({@code Sec-GPC: 1}) and Do Not Track
 * ({@code DNT: 1}). The shop honours either as an opt-out of any marketing use beyond what the
 * person explicitly asked for, and records that it was present where consent is recorded.
 */
public record PrivacySignals(boolean globalPrivacyControl, boolean doNotTrack) {
    public static final PrivacySignals NONE = new PrivacySignals(false, false);

    /** From the raw header values (null when absent); only the exact value "1" counts, as both specs say. */
    public static PrivacySignals of(String secGpc, String dnt) {
        return new PrivacySignals(isOne(secGpc), isOne(dnt));
    }

    public boolean optOut() {
        return globalPrivacyControl || doNotTrack;
    }

    /** The signals present, by header name, for a consent or order record. */
    public List<String> names() {
        List<String> names = new ArrayList<>(2);
        if (globalPrivacyControl) {
            names.add("Sec-GPC");
        }
        if (doNotTrack) {
            names.add("DNT");
        }
        return List.copyOf(names);
    }

    private static boolean isOne(String value) {
        return value != null && value.strip().equals("1");
    }
}
