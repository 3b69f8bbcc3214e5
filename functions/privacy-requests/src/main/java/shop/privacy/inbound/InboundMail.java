package shop.privacy.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import shop.core.email.EmailAddress;

/**
 * One received message as SES's receipt rule reports it to Lambda ({@code Records[].ses}): the
 * headers that matter and SES's verdicts. The body is not in the event, and not needed.
 */
public record InboundMail(String messageId, String envelopeSender, String from, String subject,
                          String spf, String dkim, String dmarc, String spam, String virus,
                          Map<String, String> headers, List<String> dkimDomains) {
    private static final Pattern ANGLE = Pattern.compile("<([^<>]+)>\\s*$");
    private static final Pattern DKIM_DOMAIN = Pattern.compile("(?:^|;)\\s*d\\s*=\\s*([^;\\s]+)");

    public InboundMail {
        headers = Map.copyOf(headers);
        dkimDomains = List.copyOf(dkimDomains);
    }

    /** Without DKIM signatures (tests of the other rules). */
    public InboundMail(String messageId, String envelopeSender, String from, String subject, String spf, String dkim,
                       String dmarc, String spam, String virus, Map<String, String> headers) {
        this(messageId, envelopeSender, from, subject, spf, dkim, dmarc, spam, virus, headers, List.of());
    }

    /** The records of a Lambda event from an SES receipt rule (the JSON Lambda hands over). */
    public static List<InboundMail> fromEvent(JsonNode event) {
        List<InboundMail> mails = new ArrayList<>();
        for (JsonNode record : event.path("Records")) {
            if (!"aws:ses".equals(record.path("eventSource").asText())) {
                continue;
            }
            JsonNode mail = record.path("ses").path("mail");
            JsonNode receipt = record.path("ses").path("receipt");
            JsonNode common = mail.path("commonHeaders");
            Map<String, String> headers = new LinkedHashMap<>();
            List<String> dkimDomains = new ArrayList<>();
            for (JsonNode header : mail.path("headers")) {
                String name = header.path("name").asText().toLowerCase(Locale.ROOT);
                headers.putIfAbsent(name, header.path("value").asText());
                if (name.equals("dkim-signature")) {
                    Matcher d = DKIM_DOMAIN.matcher(header.path("value").asText());
                    // A signature whose domain cannot be read counts as another domain's.
                    dkimDomains.add(d.find() ? d.group(1) : "");
                }
            }
            mails.add(new InboundMail(mail.path("messageId").asText(), mail.path("source").asText(""),
                    common.path("from").path(0).asText(""), common.path("subject").asText(""),
                    verdict(receipt, "spfVerdict"), verdict(receipt, "dkimVerdict"), verdict(receipt, "dmarcVerdict"),
                    verdict(receipt, "spamVerdict"), verdict(receipt, "virusVerdict"), headers, dkimDomains));
        }
        return mails;
    }

    /**
     * The sender is who they say: DMARC passed (SES checked alignment itself), or, where the From
     * domain publishes no DMARC policy, SPF or DKIM passed for a domain aligned with the From
     * domain (relaxed alignment, {@link OrganizationalDomain}) and DMARC did not fail. SPF's
     * domain is the envelope sender's; SES's DKIM verdict does not say which signature passed, so
     * DKIM counts only when every signature names an aligned domain. A pass for some other domain
     * proves nothing about the From line: a spoofer passes SPF for their own domain.
     */
    public boolean authenticated() {
        if ("PASS".equals(dmarc)) {
            return true;
        }
        if ("FAIL".equals(dmarc)) {
            return false;
        }
        String fromDomain = fromAddress().map(address -> domain(address.value())).orElse(null);
        boolean spfAligned = "PASS".equals(spf) && OrganizationalDomain.aligned(domain(envelopeSender), fromDomain);
        boolean dkimAligned = "PASS".equals(dkim) && !dkimDomains.isEmpty()
                && dkimDomains.stream().allMatch(d -> OrganizationalDomain.aligned(d, fromDomain));
        return spfAligned || dkimAligned;
    }

    /** Nothing passed, or DMARC failed: the mail may come from anyone, so it gets no answer at all. */
    public boolean failedAuthentication() {
        return "FAIL".equals(dmarc) || !"PASS".equals(spf) && !"PASS".equals(dkim);
    }

    private static String domain(String address) {
        int at = address == null ? -1 : address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1);
    }

    /** Bounces, auto-replies, spam and viruses get no answer: answering them makes loops and backscatter. */
    public boolean shouldBeIgnored() {
        String autoSubmitted = headers.getOrDefault("auto-submitted", "no").strip().toLowerCase(Locale.ROOT);
        return envelopeSender.isBlank() || envelopeSender.toLowerCase(Locale.ROOT).startsWith("mailer-daemon")
                || !autoSubmitted.equals("no") || "FAIL".equals(spam) || "FAIL".equals(virus);
    }

    /** The From address, if it is one we can mail ("Name <a@b.c>" or a bare address). */
    public Optional<EmailAddress> fromAddress() {
        Matcher angle = ANGLE.matcher(from);
        String address = angle.find() ? angle.group(1) : from;
        try {
            return Optional.of(new EmailAddress(address));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String verdict(JsonNode receipt, String name) {
        return receipt.path(name).path("status").asText("GRAY").toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "InboundMail[" + messageId + "]";
    }
}
