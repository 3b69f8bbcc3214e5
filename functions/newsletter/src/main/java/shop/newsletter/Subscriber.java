package shop.newsletter;

import shop.core.email.EmailAddress;

/** A newsletter subscriber, pending until the address confirms. */
public record Subscriber(String addressHash, EmailAddress email, Status status, ConsentProof consent) {
    public enum Status { PENDING, CONFIRMED }
}
