package shop.visits;

/** Reduces a User-Agent header to browser and OS family. */
public interface UserAgentParser {
    AgentFamilies parse(String userAgent);
}
