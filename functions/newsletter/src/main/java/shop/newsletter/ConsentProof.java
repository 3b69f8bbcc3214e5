package shop.newsletter;

import java.time.Instant;

/**
 * What we can show if asked why we mail someone: the signup (under which policy version,
 * from where, with the 13+ attestation) and the confirmation from the mailbox itself.
 */
public record ConsentProof(
        Instant givenAt,
        String policyVersion,
        String source,
        RequestOrigin signupOrigin,
        boolean ageConfirmed,
        Instant confirmedAt,
        RequestOrigin confirmationOrigin) {

    public static ConsentProof given(Instant at, String policyVersion, String source, RequestOrigin origin) {
        return new ConsentProof(at, policyVersion, source, origin, true, null, null);
    }

    public ConsentProof confirmed(Instant at, RequestOrigin origin) {
        return new ConsentProof(givenAt, policyVersion, source, signupOrigin, ageConfirmed, at, origin);
    }
}
