package shop.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import shop.local.stack.CfnTemplate;

/**
 * A function of template.yaml as the bench sees it: its deployable jar (CodeUri), its Handler,
 * what triggers it (and for an HTTP API, its routes), and the folder of sample events
 * ({@code events/<jar name>/}, which functions sharing a jar share).
 */
record FunctionUnderTest(String logicalId, String name, String handler, Path jar, Trigger trigger,
                         Set<String> routeKeys, int memoryMb, Path eventsDir) {

    enum Trigger { HTTP_API, SQS, SCHEDULE, OTHER }

    /** The logical id without its "Function" suffix: what the tables show. */
    String label() {
        return logicalId.endsWith("Function") ? logicalId.substring(0, logicalId.length() - "Function".length()) : logicalId;
    }

    static List<FunctionUnderTest> discover(CfnTemplate template) {
        Path root = template.file().getParent();
        return template.functions().values().stream().map(f -> {
            Path jar = root.resolve(f.codeUri()).normalize();
            String name = jar.getFileName().toString().replaceFirst("\\.(jar|zip)$", "");
            Trigger trigger = !f.httpApiEvents().isEmpty() ? Trigger.HTTP_API
                    : !f.sqsEvents().isEmpty() ? Trigger.SQS
                    : !f.scheduleEvents().isEmpty() ? Trigger.SCHEDULE
                    : Trigger.OTHER;
            Set<String> routes = f.httpApiEvents().stream().map(CfnTemplate.HttpApiEvent::routeKey).collect(Collectors.toSet());
            return new FunctionUnderTest(f.logicalId(), name, f.handler(), jar, trigger, routes, f.memorySize(),
                    root.resolve("events").resolve(name));
        }).toList();
    }
}
