package shop.newsletter;

import shop.core.privacy.IpAddresses;

/** Where a request came from, reduced to what the consent proof keeps. */
public record RequestOrigin(String ipPrefix, String userAgent) {
    private static final int MAX_USER_AGENT = 512;

    public static RequestOrigin of(String sourceIp, String userAgent) {
        String agent = userAgent == null ? "" : userAgent.strip();
        if (agent.length() > MAX_USER_AGENT) {
            agent = agent.substring(0, MAX_USER_AGENT);
        }
        return new RequestOrigin(IpAddresses.truncate(sourceIp), agent);
    }
}
