package shop.visits;

/** A partner's API key as stored: its public id and the SHA-256 of its secret part. */
public record PartnerKey(String keyId, String partner, String secretHash) {
}
