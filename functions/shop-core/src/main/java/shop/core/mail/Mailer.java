package shop.core.mail;

/** Sends mail on the shop's behalf. Returns the provider's message id. */
public interface Mailer {
    String send(Email email);
}
