package shop.privacy.requests;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import shop.core.email.EmailAddress;
import shop.core.errors.InvalidInputException;
import shop.privacy.Correction;
import shop.privacy.RequestType;

/**
 * {@code POST /privacy/requests} as the storefront sends it: {@code {"email", "type",
 * "correction"?: {"name"?, "shippingAddress"?}}}; valid once built.
 */
public record NewRequest(EmailAddress email, RequestType type, Optional<Correction> correction) {
    public NewRequest {
        if (type == RequestType.CORRECT && correction.isEmpty()) {
            throw new InvalidInputException("correction",
                    "A \"correct\" request needs \"correction\" with \"name\" and/or \"shippingAddress\".");
        }
        if (type != RequestType.CORRECT && correction.isPresent()) {
            throw new InvalidInputException("correction", "\"correction\" goes only with type \"correct\".");
        }
    }

    public static NewRequest of(String email, String type, JsonNode correction) {
        EmailAddress address = EmailAddress.parse("email", email);
        RequestType requestType = RequestType.fromApi(type);
        Optional<Correction> parsed = correction == null || correction.isNull()
                ? Optional.empty() : Optional.of(Correction.fromJson(correction));
        return new NewRequest(address, requestType, parsed);
    }
}
