package shop.visits;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import ua_parser.OSParser;
import ua_parser.Parser;

/**
 * uap-java with the uap-core regexes: browser and OS family only, never the full version.
 * The regexes load on first use, so the statistics route never pays for them; and only the
 * browser and OS lists are compiled: uap's own {@code Parser} also compiles and runs the
 * device list, the largest, on every call, for a field we never keep.
 */
final class UapUserAgentParser implements UserAgentParser {
    private static final class Loaded {
        static final ua_parser.UserAgentParser BROWSERS;
        static final OSParser SYSTEMS;

        static {
            Map<String, List<Map<String, String>>> regexes;
            try (InputStream in = Parser.class.getResourceAsStream("/ua_parser/regexes.yaml")) {
                // uap's own loader options (its code-point limit), and SnakeYAML's safe constructor, as Parser does.
                regexes = new Yaml(new SafeConstructor(Parser.getDefaultLoaderOptions())).load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("uap-core's regexes.yaml is not readable", e);
            }
            BROWSERS = ua_parser.UserAgentParser.fromList(regexes.get("user_agent_parsers"));
            SYSTEMS = OSParser.fromList(regexes.get("os_parsers"));
        }
    }

    @Override
    public AgentFamilies parse(String userAgent) {
        return new AgentFamilies(Loaded.BROWSERS.parse(userAgent).family, Loaded.SYSTEMS.parse(userAgent).family);
    }
}
