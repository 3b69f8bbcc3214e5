package shop.newsletter;

import java.util.Optional;
import java.util.regex.Pattern;
import shop.core.email.EmailAddress;
import shop.core.errors.InvalidInputException;

/** A newsletter signup as the storefront sends it; valid once built. */
public record SignupRequest(EmailAddress email, String source) {
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9._:/ -]{1,64}");

    public SignupRequest {
        if (source == null || !SOURCE.matcher(source).matches()) {
            throw new InvalidInputException("source",
                    "\"source\" names where the form is (1-64 letters, digits, spaces and . _ : / -).");
        }
    }

    /**
     * Consent and the 13+ attestation are not stored as flags to check later: a signup
     * without both cannot exist.
     */
    public static SignupRequest of(String email, boolean consent, boolean ageConfirmed, Optional<String> source) {
        if (!consent) {
            throw new InvalidInputException("consent", "\"consent\" must be true: we only mail people who asked for it.");
        }
        if (!ageConfirmed) {
            throw new InvalidInputException("ageConfirmed",
                    "\"ageConfirmed\" must be true: the newsletter is for people aged 13 or over.");
        }
        return new SignupRequest(EmailAddress.parse("email", email), source.orElse("website"));
    }
}
