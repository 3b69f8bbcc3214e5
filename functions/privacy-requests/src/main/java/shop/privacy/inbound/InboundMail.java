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
                          Map<String, String> headers) {
    private static final Pattern ANGLE = Pattern.compile("<([^<>]+)>\\s*$");

    public InboundMail {
        headers = Map.copyOf(headers);
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
            for (JsonNode header : mail.path("headers")) {
                headers.putIfAbsent(header.path("name").asText().toLowerCase(Locale.ROOT), header.path("value").asText());
            }
            mails.add(new InboundMail(mail.path("messageId").asText(), mail.path("source").asText(""),
                    common.path("from").path(0).asText(""), common.path("subject").asText(""),
                    verdict(receipt, "spfVerdict"), verdict(receipt, "dkimVerdict"), verdict(receipt, "dmarcVerdict"),
                    verdict(receipt, "spamVerdict"), verdict(receipt, "virusVerdict"), headers));
        }
        return mails;
    }

    /**
     * The sender is who they say when SES found SPF or DKIM passing, unless DMARC failed: a DMARC
     * FAIL means what passed was some other domain than the From address's, as in a spoofed mail
     * signed by the spoofer's own domain.
     */
    public boolean authenticated() {
        return ("PASS".equals(spf) || "PASS".equals(dkim)) && !"FAIL".equals(dmarc);
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
