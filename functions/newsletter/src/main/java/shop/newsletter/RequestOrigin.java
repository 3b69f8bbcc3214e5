package shop.newsletter;

import java.util.List;
import shop.core.privacy.IpAddresses;
import shop.core.privacy.PrivacySignals;

/**
 * Where a request came from, reduced to what the consent proof keeps: the network, the browser,
 * and the opt-out signals it sent (Sec-GPC, DNT). A signal does not stop a newsletter the person
 * asked for; it is kept as their opt-out of any other marketing use of the address.
 */
public record RequestOrigin(String ipPrefix, String userAgent, List<String> optOutSignals) {
    private static final int MAX_USER_AGENT = 512;

    public RequestOrigin {
        optOutSignals = optOutSignals == null ? List.of() : List.copyOf(optOutSignals);
    }

    public RequestOrigin(String ipPrefix, String userAgent) {
        this(ipPrefix, userAgent, List.of());
    }

    public static RequestOrigin of(String sourceIp, String userAgent) {
        return of(sourceIp, userAgent, PrivacySignals.NONE);
    }

    public static RequestOrigin of(String sourceIp, String userAgent, PrivacySignals signals) {
        String agent = userAgent == null ? "" : userAgent.strip();
        if (agent.length() > MAX_USER_AGENT) {
            agent = agent.substring(0, MAX_USER_AGENT);
        }
        return new RequestOrigin(IpAddresses.truncate(sourceIp), agent, signals.names());
    }
}
