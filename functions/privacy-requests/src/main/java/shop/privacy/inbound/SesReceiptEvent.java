package shop.privacy.inbound;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The event an SES receipt rule's Lambda action hands over, as far as the shop reads it
 * (aws-lambda-java-events has no SES type). Read with the shop's own mapper, which ignores the
 * fields left out here; a field SES leaves out is null.
 */
public record SesReceiptEvent(@JsonProperty("Records") List<Record> records) {

    public SesReceiptEvent {
        records = records == null ? List.of() : List.copyOf(records);
    }

    /** One received message: {@code eventSource} is {@code "aws:ses"}. */
    public record Record(String eventSource, Ses ses) {}

    public record Ses(Mail mail, Receipt receipt) {}

    /** The message as SES saw it; {@code source} is the envelope sender (MAIL FROM). */
    public record Mail(String messageId, String source, List<Header> headers, CommonHeaders commonHeaders) {}

    public record Header(String name, String value) {}

    public record CommonHeaders(List<String> from, String subject) {}

    /** SES's verdicts on the message. */
    public record Receipt(Verdict spfVerdict, Verdict dkimVerdict, Verdict dmarcVerdict, Verdict spamVerdict,
                          Verdict virusVerdict) {}

    /** {@code PASS}, {@code FAIL}, {@code GRAY} or {@code PROCESSING_FAILED}. */
    public record Verdict(String status) {}
}
