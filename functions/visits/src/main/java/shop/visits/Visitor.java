package shop.visits;

/**
 * Who sent a beacon, as far as the request tells: kept in the visit log only when the browser
 * sent no opt-out signal, and otherwise used only to tell a new visitor from a returning one.
 */
public record Visitor(String sourceIp, String userAgent, boolean optedOut) {
    static final int MAX_USER_AGENT = 512;

    public Visitor {
        sourceIp = sourceIp == null ? "" : sourceIp;
        userAgent = userAgent == null ? "" : userAgent.length() > MAX_USER_AGENT
                ? userAgent.substring(0, MAX_USER_AGENT) : userAgent;
    }

    /** Global Privacy Control ({@code Sec-GPC: 1}) or Do Not Track ({@code DNT: 1}). */
    public static Visitor of(String sourceIp, String userAgent, String secGpc, String dnt) {
        return new Visitor(sourceIp, userAgent, "1".equals(trim(secGpc)) || "1".equals(trim(dnt)));
    }

    private static String trim(String value) {
        return value == null ? null : value.trim();
    }
}
