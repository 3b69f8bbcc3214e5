package shop.core.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OwnerMailLinkTest {

    @Test
    void theTextIsTheLeadThenTheAddressAndTheHtmlAParagraphLinkingIt() {
        OwnerMailLink link = new OwnerMailLink("The order in the back office: ",
                BackOfficeLinks.at("https://admin.example.com/").order("cs_test_a1B2").orElseThrow());

        assertEquals("The order in the back office: https://admin.example.com/#order=cs_test_a1B2", link.text());
        assertEquals("<p>The order in the back office: <a href=\"https://admin.example.com/#order=cs_test_a1B2\">"
                + "https://admin.example.com/#order=cs_test_a1B2</a></p>", link.html());
    }

    @Test
    void theHtmlEscapesTheAddressInTheAttributeAndTheTextAndTheLead() {
        OwnerMailLink link = new OwnerMailLink("Ship & check <now>: ",
                "https://admin.example.com/a\"b'c<d>&e/#number=7KQ4-M2XD");

        assertEquals("Ship & check <now>: https://admin.example.com/a\"b'c<d>&e/#number=7KQ4-M2XD", link.text());
        assertEquals("<p>Ship &amp; check &lt;now&gt;: <a href=\"https://admin.example.com/a&quot;b&#39;c&lt;d&gt;&amp;e/"
                + "#number=7KQ4-M2XD\">https://admin.example.com/a&quot;b&#39;c&lt;d&gt;&amp;e/#number=7KQ4-M2XD</a></p>",
                link.html());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "https://admin.example.com/\n#privacy", "https://admin.example.com/\r#privacy"})
    void anAddressIsOneLine(String url) {
        assertThrows(IllegalArgumentException.class, () -> new OwnerMailLink("The back office: ", url));
    }

    @Test
    void aLeadIsOneLine() {
        assertThrows(IllegalArgumentException.class,
                () -> new OwnerMailLink("The back office:\nBcc: someone@example.com ", "https://admin.example.com/"));
        assertThrows(IllegalArgumentException.class, () -> new OwnerMailLink(null, "https://admin.example.com/"));
        assertThrows(IllegalArgumentException.class, () -> new OwnerMailLink("The back office: ", null));
    }
}
