package shop.campaigns;

/**
 * Keeps one sender at or under its share of the account's SES maximum send rate: each mail
 * waits for its slot. With N senders at most (the event source's MaximumConcurrency), each
 * takes rate / N, so together they never exceed the rate SES granted.
 */
public final class Pacer {
    /** How the pacer waits; tests pass one that only advances a fake clock. */
    public interface Sleeper {
        long nanoTime();

        void sleepNanos(long nanos) throws InterruptedException;
    }

    static final Sleeper SYSTEM = new Sleeper() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
    };

    private final long intervalNanos;
    private final Sleeper sleeper;
    private long nextSlot;
    private boolean started;

    public Pacer(double mailsPerSecond, Sleeper sleeper) {
        if (!(mailsPerSecond > 0)) {
            throw new IllegalArgumentException("The send rate must be above zero");
        }
        this.intervalNanos = (long) (1_000_000_000L / mailsPerSecond);
        this.sleeper = sleeper;
    }

    /** The time between two mails, rounded up to the millisecond. */
    public long intervalMillis() {
        return (intervalNanos + 999_999) / 1_000_000;
    }

    public double mailsPerSecond() {
        return 1_000_000_000.0 / intervalNanos;
    }

    /** Waits until the next mail may go. */
    public synchronized void acquire() {
        long now = sleeper.nanoTime();
        if (!started || nextSlot < now) {
            nextSlot = now;
            started = true;
        }
        long wait = nextSlot - now;
        nextSlot += intervalNanos;
        if (wait > 0) {
            try {
                sleeper.sleepNanos(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while pacing", e);
            }
        }
    }
}
