package shop.campaigns;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The plain-text part of a campaign mail, made from its HTML when the owner wrote none. */
final class HtmlText {
    /*
     * Linear in the HTML's length, which the owner pastes (up to CampaignDraft.MAX_BODY), so that thousands of
     * unclosed "<a href=x>" or "<script>" or a run of '<' take milliseconds, not the seconds (past the function's
     * timeout) a backtracking search from every start took: an element's end is looked for once per kind of element,
     * not from each of its starts; a link's start tag stops at the next '<'; and tags are removed only up to the
     * last '>', where each '<' finds the '>' that ends it (after it, none would).
     */
    private static final Pattern DROP = Pattern.compile("(?i)<(script|style|head)\\b");
    private static final Map<String, Pattern> DROP_END = Map.of(
            "script", Pattern.compile("(?i)</script\\s*>"), "style", Pattern.compile("(?i)</style\\s*>"),
            "head", Pattern.compile("(?i)</head\\s*>"));
    private static final Pattern LINK = Pattern.compile("(?i)<a\\b[^<>]*?href\\s*=\\s*[\"']([^\"']*)[\"'][^<>]*>");
    private static final Pattern LINK_END = Pattern.compile("(?i)</a\\s*>");
    private static final Pattern BREAK = Pattern.compile("(?i)<br\\s*/?>");
    private static final Pattern BLOCK_END = Pattern.compile("(?i)</(p|div|h[1-6]|tr|table|ul|ol|blockquote)\\s*>");
    private static final Pattern ITEM_END = Pattern.compile("(?i)</li\\s*>");
    private static final Pattern ITEM = Pattern.compile("(?i)<li\\b[^>]*>");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");

    /** Numeric references, and the named ones mail editors write (typography, currency, accents). */
    private static final Pattern REFERENCE = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,9});");
    private static final Map<String, String> NAMED = Map.ofEntries(
            Map.entry("nbsp", " "), Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"),
            Map.entry("quot", "\""), Map.entry("apos", "'"), Map.entry("lsquo", "\u2018"), Map.entry("rsquo", "\u2019"),
            Map.entry("ldquo", "\u201c"), Map.entry("rdquo", "\u201d"), Map.entry("ndash", "\u2013"),
            Map.entry("mdash", "\u2014"), Map.entry("hellip", "\u2026"), Map.entry("bull", "\u2022"),
            Map.entry("middot", "\u00b7"), Map.entry("euro", "\u20ac"), Map.entry("pound", "\u00a3"),
            Map.entry("yen", "\u00a5"), Map.entry("cent", "\u00a2"), Map.entry("copy", "\u00a9"), Map.entry("reg", "\u00ae"),
            Map.entry("trade", "\u2122"), Map.entry("deg", "\u00b0"), Map.entry("times", "\u00d7"),
            Map.entry("eacute", "\u00e9"), Map.entry("egrave", "\u00e8"), Map.entry("ecirc", "\u00ea"),
            Map.entry("agrave", "\u00e0"), Map.entry("aacute", "\u00e1"), Map.entry("acirc", "\u00e2"),
            Map.entry("ccedil", "\u00e7"), Map.entry("iacute", "\u00ed"), Map.entry("oacute", "\u00f3"),
            Map.entry("uacute", "\u00fa"), Map.entry("ntilde", "\u00f1"), Map.entry("auml", "\u00e4"),
            Map.entry("ouml", "\u00f6"), Map.entry("uuml", "\u00fc"), Map.entry("szlig", "\u00df"),
            Map.entry("Eacute", "\u00c9"), Map.entry("Auml", "\u00c4"), Map.entry("Ouml", "\u00d6"),
            Map.entry("Uuml", "\u00dc"));

    private HtmlText() {
    }

    /** One pass, left to right: "&amp;lt;" is "&lt;" in the text, as a browser shows it; an unknown reference stays. */
    private static String decodeReferences(String text) {
        Matcher references = REFERENCE.matcher(text);
        StringBuilder decoded = new StringBuilder();
        while (references.find()) {
            String name = references.group(1);
            String replacement = references.group();
            if (name.startsWith("#")) {
                boolean hex = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X');
                int codePoint = Integer.parseInt(name.substring(hex ? 2 : 1), hex ? 16 : 10);
                // Not a surrogate half, nor a control character other than a tab or a line break.
                boolean surrogate = codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE;
                if (Character.isValidCodePoint(codePoint) && !surrogate
                        && (!Character.isISOControl(codePoint) || codePoint == '\t' || codePoint == '\n')) {
                    replacement = new String(Character.toChars(codePoint));
                }
            } else if (NAMED.containsKey(name)) {
                replacement = NAMED.get(name);
            }
            references.appendReplacement(decoded, Matcher.quoteReplacement(replacement));
        }
        references.appendTail(decoded);
        return decoded.toString();
    }

    /** Without script, style and head elements, each from its start to its end; one never ended stays (as text). */
    private static String withoutDropped(String html) {
        Matcher start = DROP.matcher(html);
        StringBuilder kept = new StringBuilder();
        Set<String> neverEnded = new HashSet<>();
        int copied = 0;
        int from = 0;
        while (start.find(from)) {
            String element = start.group(1).toLowerCase(Locale.ROOT);
            from = start.end();
            if (neverEnded.contains(element)) {
                continue;
            }
            Matcher end = DROP_END.get(element).matcher(html);
            if (end.find(start.end())) {
                kept.append(html, copied, start.start());
                copied = end.end();
                from = end.end();
            } else {
                neverEnded.add(element);
            }
        }
        return kept.append(html, copied, html.length()).toString();
    }

    /** {@code tag} (a '<', then anything but '>', then '>') replaced up to the last '>': after it no tag ends. */
    private static String replaceTags(Pattern tag, String text, String replacement) {
        int last = text.lastIndexOf('>');
        return last < 0 ? text : tag.matcher(text.substring(0, last + 1)).replaceAll(replacement) + text.substring(last + 1);
    }

    static String of(String html) {
        String text = withoutDropped(html);
        // Each link, from its start tag to the first "</a>" after it, as "label (url)". With no "</a>" after one
        // start, there is none after a later start either: the rest stays as it is.
        Matcher links = LINK.matcher(text);
        Matcher end = LINK_END.matcher(text);
        StringBuilder withLinks = new StringBuilder();
        int copied = 0;
        while (links.find() && end.find(links.end())) {
            String label = replaceTags(TAG, text.substring(links.end(), end.start()), "").strip();
            String href = links.group(1).strip();
            withLinks.append(text, copied, links.start())
                    .append(label.isEmpty() || label.equals(href) ? href : label + " (" + href + ")");
            copied = end.end();
            links.region(copied, text.length());
        }
        withLinks.append(text, copied, text.length());
        text = BREAK.matcher(withLinks).replaceAll("\n");
        text = replaceTags(ITEM, text, "- ");
        text = ITEM_END.matcher(text).replaceAll("\n");
        text = BLOCK_END.matcher(text).replaceAll("\n\n");
        text = replaceTags(TAG, text, "");
        text = decodeReferences(text);
        text = text.replaceAll("[ \\t\\x0B\\f\\r]+", " ").replaceAll(" *\n *", "\n").replaceAll("\n{3,}", "\n\n");
        return text.strip();
    }
}
