package shop.privacy.account;

import static shop.core.html.HtmlPage.escape;

import java.util.Map;
import shop.core.email.EmailAddress;
import shop.core.mail.Email;

/** The sign-in code mail. It reads the same for every address: it never says whether the shop knows it. */
public final class AccountMails {
    private final String shopName;

    public AccountMails(String shopName) {
        this.shopName = shopName;
    }

    public Email signInCode(EmailAddress to, String code) {
        String text = """
                Hello,

                your code to sign in to your %1$s account is:

                %2$s

                It works for 10 minutes. If you did not ask for it, ignore this mail: nobody can sign in without it.
                """.formatted(shopName, code);
        String html = """
                <p>Hello,</p>
                <p>your code to sign in to your %1$s account is:</p>
                <p style="font-size:1.5em;letter-spacing:0.2em"><strong>%2$s</strong></p>
                <p>It works for 10 minutes. If you did not ask for it, ignore this mail: nobody can sign in without it.</p>
                """.formatted(escape(shopName), code);
        return new Email(to, code + " is your " + shopName + " sign-in code", html, text, Map.of());
    }

    public Email newAddressCode(EmailAddress to, String code) {
        String text = """
                Hello,

                someone signed in to a %1$s account asked to use this address for it. If it was you, the code is:

                %2$s

                It works for 10 minutes. If it wasn't you, ignore this mail: nothing changes without the code.
                """.formatted(shopName, code);
        String html = """
                <p>Hello,</p>
                <p>someone signed in to a %1$s account asked to use this address for it. If it was you, the code is:</p>
                <p style="font-size:1.5em;letter-spacing:0.2em"><strong>%2$s</strong></p>
                <p>It works for 10 minutes. If it wasn't you, ignore this mail: nothing changes without the code.</p>
                """.formatted(escape(shopName), code);
        return new Email(to, code + " confirms your new address at " + shopName, html, text, Map.of());
    }
}
