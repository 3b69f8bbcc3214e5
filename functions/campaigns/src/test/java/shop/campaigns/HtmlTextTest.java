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
}
