package shop.campaigns;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The plain-text part of a campaign mail, made from its HTML when the owner wrote none. */
final class HtmlText {
    private static final Pattern DROP = Pattern.compile("(?is)<(script|style|head)\\b.*?</\\1\\s*>");
    private static final Pattern LINK = Pattern.compile("(?is)<a\\b[^>]*?href\\s*=\\s*[\"']([^\"']*)[\"'][^>]*>(.*?)</a\\s*>");
    private static final Pattern BREAK = Pattern.compile("(?i)<br\\s*/?>");
    private static final Pattern BLOCK_END = Pattern.compile("(?i)</(p|div|h[1-6]|tr|table|ul|ol|blockquote)\\s*>");
    private static final Pattern ITEM_END = Pattern.compile("(?i)</li\\s*>");
    private static final Pattern ITEM = Pattern.compile("(?i)<li\\b[^>]*>");
    private static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");

    private HtmlText() {
    }

    static String of(String html) {
        String text = DROP.matcher(html).replaceAll("");
        Matcher links = LINK.matcher(text);
        StringBuilder withLinks = new StringBuilder();
        while (links.find()) {
            String label = TAG.matcher(links.group(2)).replaceAll("").strip();
            String href = links.group(1).strip();
            String replacement = label.isEmpty() || label.equals(href) ? href : label + " (" + href + ")";
            links.appendReplacement(withLinks, Matcher.quoteReplacement(replacement));
        }
        links.appendTail(withLinks);
        text = BREAK.matcher(withLinks).replaceAll("\n");
        text = ITEM.matcher(text).replaceAll("- ");
        text = ITEM_END.matcher(text).replaceAll("\n");
        text = BLOCK_END.matcher(text).replaceAll("\n\n");
        text = TAG.matcher(text).replaceAll("");
        text = text.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
        text = text.replaceAll("[ \\t\\x0B\\f\\r]+", " ").replaceAll(" *\n *", "\n").replaceAll("\n{3,}", "\n\n");
        return text.strip();
    }
}
