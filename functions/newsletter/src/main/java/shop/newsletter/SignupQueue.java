package shop.newsletter;

/**
 * Where a signup waits for the signup worker: the form's answer only puts it here, so the answer
 * takes the same work whatever is known about the address.
 */
public interface SignupQueue {
    void enqueue(PendingSignup signup);
}
