package shop.privacy.inbound;

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
 * One received message as SES's receipt rule reports it to Lambda ({@link SesReceiptEvent}): the
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

    /** The records of a Lambda event from an SES receipt rule; records from another source are skipped. */
    public static List<InboundMail> fromEvent(SesReceiptEvent event) {
        List<InboundMail> mails = new ArrayList<>();
        for (SesReceiptEvent.Record record : event.records()) {
            if (record == null || !"aws:ses".equals(record.eventSource())) {
                continue;
            }
            var ses = Optional.ofNullable(record.ses());
            var mail = ses.map(SesReceiptEvent.Ses::mail);
            var receipt = ses.map(SesReceiptEvent.Ses::receipt);
            var common = mail.map(SesReceiptEvent.Mail::commonHeaders);
            Map<String, String> headers = new LinkedHashMap<>();
            List<String> dkimDomains = new ArrayList<>();
            for (SesReceiptEvent.Header header : mail.map(SesReceiptEvent.Mail::headers).orElse(List.of())) {
                if (header == null || header.name() == null) {
                    continue;
                }
                String name = header.name().toLowerCase(Locale.ROOT);
                String value = header.value() == null ? "" : header.value();
                headers.putIfAbsent(name, value);
                if (name.equals("dkim-signature")) {
                    Matcher d = DKIM_DOMAIN.matcher(value);
                    // A signature whose domain cannot be read counts as another domain's.
                    dkimDomains.add(d.find() ? d.group(1) : "");
                }
            }
            String from = common.map(SesReceiptEvent.CommonHeaders::from).filter(list -> !list.isEmpty())
                    .map(list -> list.get(0)).orElse("");
            mails.add(new InboundMail(mail.map(SesReceiptEvent.Mail::messageId).orElse(""),
                    mail.map(SesReceiptEvent.Mail::source).orElse(""), from == null ? "" : from,
                    common.map(SesReceiptEvent.CommonHeaders::subject).orElse(""),
                    verdict(receipt.map(SesReceiptEvent.Receipt::spfVerdict)),
                    verdict(receipt.map(SesReceiptEvent.Receipt::dkimVerdict)),
                    verdict(receipt.map(SesReceiptEvent.Receipt::dmarcVerdict)),
                    verdict(receipt.map(SesReceiptEvent.Receipt::spamVerdict)),
                    verdict(receipt.map(SesReceiptEvent.Receipt::virusVerdict)), headers, dkimDomains));
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

    private static String verdict(Optional<SesReceiptEvent.Verdict> verdict) {
        return verdict.map(SesReceiptEvent.Verdict::status).orElse("GRAY").toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "InboundMail[" + messageId + "]";
    }
}
