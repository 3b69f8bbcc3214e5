package shop.commerce.testing;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import shop.commerce.reservations.HoldLimit;
import shop.commerce.reservations.Reservation;
import shop.commerce.reservations.ReservationStore;
import shop.commerce.reservations.ReservedLine;
import shop.commerce.reservations.SoldOutException;
import shop.commerce.reservations.TooManyHoldsException;

/**
 * The checkouts table and the stock it holds in memory, with the same rules: a hold and a release
 * change the reservation and every line's stock under one lock, all or nothing.
 */
public final class InMemoryReservationStore implements ReservationStore {
    public final Map<String, Reservation> reservations = new ConcurrentHashMap<>();
    public final Map<String, Long> expiresAt = new ConcurrentHashMap<>();
    /** Per client key: {open checkouts, pieces held}. */
    public final Map<String, int[]> holds = new HashMap<>();
    private final Map<String, List<HoldLimit>> holders = new HashMap<>();
    private final InMemoryProductStore products;

    public InMemoryReservationStore(InMemoryProductStore products) {
        this.products = products;
    }

    @Override
    public void hold(Reservation reservation, long expiresAt, List<HoldLimit> limits) {
        synchronized (products) {
            if (reservations.containsKey(reservation.id())) {
                return;
            }
            int pieces = pieces(reservation);
            for (HoldLimit limit : limits) {
                if (pieces > limit.pieces()) {
                    throw new TooManyHoldsException();
                }
                int[] held = holds.getOrDefault(limit.key(), new int[2]);
                if (held[0] >= limit.checkouts() || held[1] + pieces > limit.pieces()) {
                    throw new TooManyHoldsException(limit, openOn(limit.key()));
                }
            }
            for (ReservedLine line : reservation.lines()) {
                if (!products.canTake(line.sku(), line.quantity())) {
                    throw new SoldOutException(line.sku());
                }
            }
            reservation.lines().forEach(line -> products.take(line.sku(), line.quantity()));
            limits.forEach(limit -> count(limit.key(), 1, pieces));
            holders.put(reservation.id(), List.copyOf(limits));
            reservations.put(reservation.id(), reservation);
            this.expiresAt.put(reservation.id(), expiresAt);
        }
    }

    @Override
    public Optional<Reservation> find(String id) {
        return Optional.ofNullable(reservations.get(id));
    }

    @Override
    public synchronized void attachSession(String id, String sessionId, Reservation.Priced priced) {
        Reservation r = reservations.get(id);
        reservations.put(id, new Reservation(id, r.lines(), r.status(), Optional.of(sessionId), r.createdAt(), priced));
    }

    @Override
    public synchronized void keepUntil(String id, long until) {
        expiresAt.computeIfPresent(id, (k, old) -> Math.max(old, until));
    }

    @Override
    public boolean release(String id) {
        synchronized (products) {
            Reservation r = reservations.get(id);
            if (r == null || r.status() != Reservation.Status.OPEN) {
                return false;
            }
            r.lines().forEach(line -> products.giveBack(line.sku(), line.quantity()));
            countDown(r);
            reservations.put(id, with(r, Reservation.Status.RELEASED));
            return true;
        }
    }

    @Override
    public List<String> openWithoutSession(Instant createdBefore) {
        return reservations.values().stream()
                .filter(r -> r.status() == Reservation.Status.OPEN && r.sessionId().isEmpty()
                        && r.createdAt().isBefore(createdBefore))
                .map(Reservation::id).sorted().toList();
    }

    /** The reservation's part of a paid order (InMemoryPaidOrders): OPEN → SOLD; false when it is not open. */
    public boolean sell(String id) {
        synchronized (products) {
            Reservation r = reservations.get(id);
            if (r == null || r.status() != Reservation.Status.OPEN) {
                return false;
            }
            countDown(r);
            reservations.put(id, with(r, Reservation.Status.SOLD));
            return true;
        }
    }

    /** The open reservations on a client's list, as the DynamoDB store names them when the list is full. */
    private List<String> openOn(String key) {
        return holders.entrySet().stream()
                .filter(entry -> entry.getValue().stream().anyMatch(limit -> limit.key().equals(key)))
                .map(Map.Entry::getKey)
                .filter(id -> reservations.get(id).status() == Reservation.Status.OPEN)
                .sorted().toList();
    }

    private void countDown(Reservation r) {
        holders.getOrDefault(r.id(), List.of()).forEach(limit -> count(limit.key(), -1, -pieces(r)));
    }

    private void count(String key, int checkouts, int pieces) {
        int[] held = holds.computeIfAbsent(key, k -> new int[2]);
        held[0] += checkouts;
        held[1] += pieces;
    }

    private static int pieces(Reservation r) {
        return r.lines().stream().mapToInt(ReservedLine::quantity).sum();
    }

    private static Reservation with(Reservation r, Reservation.Status status) {
        return new Reservation(r.id(), r.lines(), status, r.sessionId(), r.createdAt(), r.priced());
    }
}
