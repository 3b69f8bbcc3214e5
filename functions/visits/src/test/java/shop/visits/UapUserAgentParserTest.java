package shop.visits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The browser and OS lists of uap-core, loaded without its device list, still name what they named. */
class UapUserAgentParserTest {
    private final UapUserAgentParser parser = new UapUserAgentParser();

    @Test
    void namesBrowserAndOsFamilies() {
        assertEquals(new AgentFamilies("Chrome Mobile", "Android"), parser.parse(
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"));
        assertEquals(new AgentFamilies("Mobile Safari", "iOS"), parser.parse(
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"));
        assertEquals(new AgentFamilies("Edge", "Windows"), parser.parse(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"));
        assertEquals(new AgentFamilies("Firefox", "Mac OS X"), parser.parse(
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:132.0) Gecko/20100101 Firefox/132.0"));
    }

    @Test
    void anUnknownAgentIsOther() {
        assertEquals(new AgentFamilies("Other", "Other"), parser.parse("zzqx beacon 0"));
    }
}
