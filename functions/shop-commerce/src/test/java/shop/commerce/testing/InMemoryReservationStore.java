package shop.commerce.testing;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import shop.commerce.reservations.Reservation;
import shop.commerce.reservations.ReservationStore;

/** The checkouts table in memory, with the same conditional rules. */
public final class InMemoryReservationStore implements ReservationStore {
    public final Map<String, Reservation> reservations = new ConcurrentHashMap<>();
    public final Map<String, Long> expiresAt = new ConcurrentHashMap<>();

    @Override
    public synchronized void create(Reservation reservation, long expiresAt) {
        if (reservations.putIfAbsent(reservation.id(), reservation) != null) {
            throw new IllegalStateException("exists");
        }
        this.expiresAt.put(reservation.id(), expiresAt);
    }

    @Override
    public Optional<Reservation> find(String id) {
        return Optional.ofNullable(reservations.get(id));
    }

    @Override
    public synchronized void markHeld(String id, String sku, int quantity) {
        Reservation r = reservations.get(id);
        Map<String, Integer> held = new HashMap<>(r.held());
        held.put(sku, quantity);
        reservations.put(id, new Reservation(id, r.lines(), held, r.status(), r.sessionId(), r.createdAt()));
    }

    @Override
    public synchronized boolean unhold(String id, String sku) {
        Reservation r = reservations.get(id);
        if (r == null || !r.held().containsKey(sku)) {
            return false;
        }
        Map<String, Integer> held = new HashMap<>(r.held());
        held.remove(sku);
        reservations.put(id, new Reservation(id, r.lines(), held, r.status(), r.sessionId(), r.createdAt()));
        return true;
    }

    @Override
    public synchronized void attachSession(String id, String sessionId) {
        Reservation r = reservations.get(id);
        reservations.put(id, new Reservation(id, r.lines(), r.held(), r.status(), Optional.of(sessionId), r.createdAt()));
    }

    @Override
    public synchronized void keepUntil(String id, long until) {
        expiresAt.computeIfPresent(id, (k, old) -> Math.max(old, until));
    }

    @Override
    public synchronized void markReleased(String id) {
        Reservation r = reservations.get(id);
        if (r != null && r.status() == Reservation.Status.OPEN) {
            reservations.put(id, new Reservation(id, r.lines(), r.held(), Reservation.Status.RELEASED, r.sessionId(),
                    r.createdAt()));
        }
    }

    @Override
    public List<String> openWithoutSession(Instant createdBefore) {
        return reservations.values().stream()
                .filter(r -> r.status() == Reservation.Status.OPEN && r.sessionId().isEmpty()
                        && r.createdAt().isBefore(createdBefore))
                .map(Reservation::id).sorted().toList();
    }

    @Override
    public synchronized boolean markSold(String id) {
        Reservation r = reservations.get(id);
        if (r == null || r.status() == Reservation.Status.RELEASED) {
            return false;
        }
        reservations.put(id, new Reservation(id, r.lines(), Map.of(), Reservation.Status.SOLD, r.sessionId(),
                r.createdAt()));
        return true;
    }
}
