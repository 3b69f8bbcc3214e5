package shop.commerce.reservations;

import java.util.List;
import java.util.Optional;

/**
 * A client already holds as many checkouts or pieces as a {@link HoldLimit} allows; nothing was
 * held. {@link #full()} names the limit whose list of open checkouts was full, and
 * {@link #openReservations()} the reservations still open on it, when that is why (empty when the
 * cart alone is past the limit, or the list kept changing under the hold).
 */
public class TooManyHoldsException extends RuntimeException {
    private final transient HoldLimit full;
    private final List<String> openReservations;

    public TooManyHoldsException() {
        this(null, List.of());
    }

    public TooManyHoldsException(HoldLimit full, List<String> openReservations) {
        super("The client holds as many checkouts or pieces as it may.");
        this.full = full;
        this.openReservations = List.copyOf(openReservations);
    }

    public Optional<HoldLimit> full() {
        return Optional.ofNullable(full);
    }

    /** The ids of the open reservations on the full limit's list, in no particular order. */
    public List<String> openReservations() {
        return openReservations;
    }
}
