package shop.local.server;

import java.time.Clock;
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
 * such. Any of them can also be run at once ({@code POST /_local/schedules/{function}}).
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
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "local-schedules");
        thread.setDaemon(true);
        return thread;
    });

    private LocalSchedules(LocalFunctions functions, Clock clock) {
        this.functions = functions;
        this.clock = clock;
        List<Schedule> found = new ArrayList<>();
        for (CfnTemplate.Function function : functions.template().functions().values()) {
            for (CfnTemplate.ScheduleEvent event : function.scheduleEvents()) {
                Optional<String> notFollowed;
                try {
                    ScheduleExpression.parse(event.expression());
                    notFollowed = Optional.empty();
                } catch (IllegalArgumentException e) {
                    notFollowed = Optional.of(e.getMessage());
                }
                found.add(new Schedule(function.logicalId(), event.name(), event.expression(), notFollowed));
            }
        }
        this.schedules = List.copyOf(found);
    }

    /** Follows every schedule it can, from now on. */
    public static LocalSchedules start(LocalFunctions functions) {
        LocalSchedules started = new LocalSchedules(functions, Clock.systemUTC());
        started.schedules.stream().filter(s -> s.notFollowed().isEmpty()).forEach(started::scheduleNext);
        return started;
    }

    /** Knows the schedules and runs them only when asked ({@link #runNow}): for tests. */
    public static LocalSchedules onDemand(LocalFunctions functions) {
        return new LocalSchedules(functions, Clock.systemUTC());
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
        return Optional.ofNullable(functions.invoke(functionId, event(schedule.get(), clock.instant())));
    }

    private void scheduleNext(Schedule schedule) {
        Instant now = clock.instant();
        Instant next = ScheduleExpression.parse(schedule.expression()).next(now);
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
