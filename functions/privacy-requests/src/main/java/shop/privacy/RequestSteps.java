package shop.privacy;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import shop.core.logging.Log;

/**
 * The steps of a request's run, each with its outcome on the request's trail: {@code step_done}
 * with what it removed or moved ({@code step=<name>} and its counts: what a request did is their
 * sum over all its runs, each step counted by the run that did it), or {@code step_failed} with the exception's class (never its
 * message, which may quote personal data). A run after a failed or stopped one reads the trail
 * and skips the steps it shows done, so it goes on from where the last one stopped and does
 * nothing twice.
 */
final class RequestSteps {
    static final String DONE = "step_done";
    static final String FAILED = "step_failed";
    private static final Pattern STEP = Pattern.compile("(?:^| )step=([a-z_]+)(?= |$)");

    private final RequestStore requests;
    private final Clock clock;

    RequestSteps(RequestStore requests, Clock clock) {
        this.requests = requests;
        this.clock = clock;
    }

    /** The step a trail line names ({@code step=stripe ...}); empty for lines of other events, or written before steps had names. */
    static Optional<String> stepOf(AuditEntry entry) {
        Matcher step = STEP.matcher(entry.detail());
        return step.find() ? Optional.of(step.group(1)) : Optional.empty();
    }

    /** Whether the trail shows the step done. */
    static boolean done(List<AuditEntry> trail, String step) {
        return trail.stream().anyMatch(entry -> entry.event().equals(DONE) && stepOf(entry).filter(step::equals).isPresent());
    }

    /**
     * Runs the step unless {@code trail} shows it done, and writes its line: what it counted, or
     * the class of what it threw (then thrown on).
     */
    void run(PrivacyRequest request, List<AuditEntry> trail, String step, Supplier<Map<String, Integer>> action,
             Store... stores) {
        if (done(trail, step)) {
            return;
        }
        Map<String, Integer> counts = attempt(request, step, action, stores);
        requests.append(request.id(), AuditEntry.of(clock.instant(), DONE, "step=" + step
                + (counts.isEmpty() ? "" : " " + Outcome.detail(counts)), stores));
    }

    /** Runs a step that writes its own line when done; only its failure is written here. */
    <T> T attempt(PrivacyRequest request, String step, Supplier<T> action, Store... stores) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            failed(request, step, e, stores);
            throw e;
        }
    }

    private void failed(PrivacyRequest request, String step, RuntimeException cause, Store... stores) {
        try {
            requests.append(request.id(), AuditEntry.of(clock.instant(), FAILED,
                    "step=" + step + " exception=" + cause.getClass().getName(), stores));
        } catch (RuntimeException unrecorded) {
            // The store is down too: the run's "failed" line (or the log) still says how it ended.
            cause.addSuppressed(unrecorded);
            Log.warn("privacy_step_failure_not_recorded", Map.of("requestId", request.id(), "step", step,
                    "exception", unrecorded.getClass().getName()));
        }
    }
}
