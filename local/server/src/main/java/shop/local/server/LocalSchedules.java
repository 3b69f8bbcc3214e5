package shop.local.server;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import shop.local.stack.CfnTemplate;
import shop.local.stack.IntrinsicResolver;

/**
 * Runs the scheduled functions of template.yaml on their schedules, as EventBridge does, with
 * the scheduled event EventBridge sends; a schedule the local run cannot follow is listed as
 * such. Any of them can also be run at once ({@code POST /_local/schedules/{function}}). The
 * local API server owns one; the local run makes it {@link #follow} the schedules.
 */
public final class LocalSchedules implements AutoCloseable {

    /** One enabled schedule event of a function, and whether the local run follows it. */
    public record Schedule(String functionId, String eventName, String expression, Optional<String> notFollowed) {
        @Override
        public String toString() {
            return functionId + " " + expression + notFollowed.map(why -> " (not followed locally: " + why + ")").orElse("");
        }
    }

    private final LocalFunctions functions;
    private final List<Schedule> schedules;
    /** The schedules the local run can follow, parsed once. */
    private final Map<Schedule, ScheduleExpression> followable = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "local-schedules");
        thread.setDaemon(true);
        return thread;
    });

    /** Knows the schedules of the functions' template; runs them only when asked, until {@link #follow}. */
    LocalSchedules(LocalFunctions functions) {
        this.functions = functions;
        List<Schedule> found = new ArrayList<>();
        for (CfnTemplate.Function function : functions.template().functions().values()) {
            for (CfnTemplate.ScheduleEvent event : function.scheduleEvents()) {
                ScheduleExpression parsed = null;
                Optional<String> notFollowed = Optional.empty();
                try {
                    parsed = ScheduleExpression.parse(event.expression());
                } catch (IllegalArgumentException e) {
                    notFollowed = Optional.of(e.getMessage());
                }
                Schedule schedule = new Schedule(function.logicalId(), event.name(), event.expression(), notFollowed);
                found.add(schedule);
                if (parsed != null) {
                    followable.put(schedule, parsed);
                }
            }
        }
        this.schedules = List.copyOf(found);
    }

    /** Follows every schedule it can, from now on. */
    public void follow() {
        followable.keySet().forEach(this::scheduleNext);
    }

    public List<Schedule> schedules() {
        return schedules;
    }

    /**
     * Invokes the function with a scheduled event of its first schedule, now, and returns what
     * the handler returned; empty when the function has no schedule.
     */
    public Optional<Object> runNow(String functionId) throws Exception {
        Optional<Schedule> schedule = schedules.stream().filter(s -> s.functionId().equals(functionId)).findFirst();
        if (schedule.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(functions.invoke(functionId, event(schedule.get(), Instant.now())));
    }

    private void scheduleNext(Schedule schedule) {
        Instant now = Instant.now();
        Instant next = followable.get(schedule).next(now);
        timer.schedule(() -> {
            try {
                functions.invoke(schedule.functionId(), event(schedule, next));
            } catch (Exception | Error e) {
                // As on AWS: the failure is the function's; the schedule goes on.
                System.err.printf("local: scheduled %s failed: %s%n", schedule.functionId(), e);
            } finally {
                scheduleNext(schedule);
            }
        }, Duration.between(now, next).toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The event EventBridge sends a scheduled rule's target. */
    private Map<String, Object> event(Schedule schedule, Instant time) {
        String region = functions.aws().region();
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", IntrinsicResolver.LOCAL_ACCOUNT_ID);
        event.put("time", time.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        event.put("region", region);
        event.put("resources", List.of("arn:aws:events:" + region + ":" + IntrinsicResolver.LOCAL_ACCOUNT_ID
                + ":rule/local-" + schedule.functionId() + schedule.eventName()));
        event.put("detail", Map.of());
        return event;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
