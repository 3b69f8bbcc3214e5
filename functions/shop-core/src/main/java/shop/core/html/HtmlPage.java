package shop.core.html;

/**
 * The small pages the API itself answers (confirmations, unsubscribe): self-contained HTML with
 * inline style only, so the strict Content-Security-Policy of {@code ApiResponses.html} holds.
 */
public final class HtmlPage {
    private HtmlPage() {
    }

    /** {@code bodyHtml} is trusted markup built by the caller; every dynamic part must go through {@link #escape}. */
    public static String render(String title, String bodyHtml) {
        return """
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta name="referrer" content="no-referrer">
                <title>%s</title>
                <style>
                body{font-family:Georgia,serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#2b2b2b;line-height:1.5}
                h1{font-weight:normal}button{font:inherit;padding:.6rem 1.4rem;border:1px solid #2b2b2b;background:#fff;cursor:pointer}
                </style>
                </head>
                <body>
                <h1>%s</h1>
                %s
                </body>
                </html>
                """.formatted(escape(title), escape(title), bodyHtml);
    }

    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
