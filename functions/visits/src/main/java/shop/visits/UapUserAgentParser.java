package shop.visits;

import ua_parser.Client;
import ua_parser.Parser;

/**
 * uap-java with the uap-core regexes: browser and OS family only, never the full version.
 * The regexes load on first use, so the statistics route never pays for them.
 */
final class UapUserAgentParser implements UserAgentParser {
    private static final class Loaded {
        static final Parser PARSER = new Parser();
    }

    @Override
    public AgentFamilies parse(String userAgent) {
        Client client = Loaded.PARSER.parse(userAgent);
        return new AgentFamilies(client.userAgent.family, client.os.family);
    }
}
