package shop.campaigns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HtmlTextTest {
    @Test
    void keepsTheWordsTheLinksAndTheParagraphs() {
        assertEquals("Winter collection\n\nTwelve pieces in silver & garnet.\n\n- Rings\n- Earrings\n\n"
                        + "See them (https://shop.example.com/winter.html)",
                HtmlText.of("<style>p{color:red}</style><h1>Winter collection</h1><p>Twelve pieces in <b>silver"
                        + " &amp; garnet</b>.</p><ul><li>Rings</li><li>Earrings</li></ul>"
                        + "<p><a href=\"https://shop.example.com/winter.html\">See them</a></p>"));
    }

    @Test
    void decodesTheEntitiesMailEditorsWrite() {
        // Curly quotes, dashes and accents come out of editors as named or numeric references;
        // left as they are, the text part would read "Winter&rsquo;s" to the subscriber.
        assertEquals("Winter’s café — “new” €5… & <more> 'x' éé",
                HtmlText.of("<p>Winter&rsquo;s caf&eacute; &mdash; &ldquo;new&rdquo; &euro;5&hellip; &amp; &lt;more&gt;"
                        + " &#39;x&#x27; &#233;&#xE9;</p>"));
    }

    @Test
    void leavesAnUnknownOrBrokenReferenceAsWritten() {
        assertEquals("&bogus; &#xZZ; &#99999999999; &#xD800; &#1; &amp;lt; \uD834\uDD1E",
                HtmlText.of("<p>&bogus; &#xZZ; &#99999999999; &#xD800; &#1; &amp;amp;lt; &#x1D11E;</p>"));
    }
}
