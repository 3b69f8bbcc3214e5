package shop.core.mail;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import shop.core.aws.AwsJsonClient;
import shop.core.json.Json;

/**
 * {@link Mailer} through SES v2 SendEmail (simple content: subject, HTML and text, custom
 * headers), in the shop's configuration set. The request is the API's JSON, sent by
 * {@link AwsJsonClient}; the SES SDK client would bring over 1,600 model classes for it.
 */
public final class SesMailer implements Mailer {
    private final AwsJsonClient ses;
    private final String fromAddress;
    private final String configurationSet;

    public SesMailer(AwsJsonClient ses, String fromAddress, String configurationSet) {
        this.ses = ses;
        this.fromAddress = fromAddress;
        this.configurationSet = configurationSet;
    }

    @Override
    public String send(Email email) {
        ObjectNode request = Json.object();
        request.put("FromEmailAddress", fromAddress);
        request.putObject("Destination").putArray("ToAddresses").add(email.to().value());
        ObjectNode simple = request.putObject("Content").putObject("Simple");
        simple.set("Subject", utf8(email.subject()));
        ObjectNode body = simple.putObject("Body");
        body.set("Html", utf8(email.html()));
        body.set("Text", utf8(email.text()));
        if (!email.headers().isEmpty()) {
            ArrayNode headers = simple.putArray("Headers");
            email.headers().forEach((name, value) -> headers.addObject().put("Name", name).put("Value", value));
        }
        if (configurationSet != null && !configurationSet.isBlank()) {
            request.put("ConfigurationSetName", configurationSet);
        }
        return ses.post("SendEmail", "/v2/email/outbound-emails", request).path("MessageId").asText();
    }

    private static ObjectNode utf8(String data) {
        return Json.object().put("Data", data).put("Charset", "UTF-8");
    }
}
