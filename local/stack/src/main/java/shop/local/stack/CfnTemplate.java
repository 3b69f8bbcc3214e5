package shop.local.stack;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.Yaml;

/**
 * A SAM/CloudFormation template as the local stack needs it: parameters, resources, functions
 * with their events, and the HTTP API's CORS settings. Values are kept unresolved (intrinsics
 * as long-form maps such as {@code {"Ref": "X"}}); {@link IntrinsicResolver} resolves them.
 *
 * <p>template.yaml is the single source of truth for what exists: nothing here or in
 * {@link LocalAws} keeps a second list of tables, buckets, queues or routes.
 */
public final class CfnTemplate {

    public static final String FUNCTION = "AWS::Serverless::Function";
    public static final String HTTP_API = "AWS::Serverless::HttpApi";
    public static final String TABLE = "AWS::DynamoDB::Table";
    public static final String SIMPLE_TABLE = "AWS::Serverless::SimpleTable";
    public static final String BUCKET = "AWS::S3::Bucket";
    public static final String QUEUE = "AWS::SQS::Queue";
    public static final String USER_POOL = "AWS::Cognito::UserPool";
    public static final String USER_POOL_CLIENT = "AWS::Cognito::UserPoolClient";
    public static final String USER_POOL_GROUP = "AWS::Cognito::UserPoolGroup";
    public static final String USER_POOL_USER = "AWS::Cognito::UserPoolUser";
    public static final String USER_POOL_USER_TO_GROUP = "AWS::Cognito::UserPoolUserToGroupAttachment";

    public record Parameter(String name, String type, Optional<String> defaultValue) {}

    public record Resource(String logicalId, String type, Map<String, Object> properties) {}

    /**
     * An {@code HttpApi} event; {@code routeKey} is what API Gateway puts into the event.
     * {@code authorizer} names one of the HTTP API's {@code Auth.Authorizers} (null: none);
     * {@code authorizationScopes} are the route's scopes (a token needs one of them).
     */
    public record HttpApiEvent(String name, String method, String path, String authorizer,
                               List<String> authorizationScopes) {
        public HttpApiEvent {
            authorizationScopes = List.copyOf(authorizationScopes);
        }

        /** A route without an authorizer. */
        public HttpApiEvent(String name, String method, String path) {
            this(name, method, path, null, List.of());
        }

        public String routeKey() {
            return method.equals("ANY") && path.equals("$default") ? "$default" : method + " " + path;
        }
    }

    /** An {@code SQS} event; {@code queue} is unresolved (usually {@code !GetAtt Queue.Arn}). */
    public record SqsEvent(String name, Object queue, int batchSize, boolean reportBatchItemFailures) {}

    /**
     * A {@code Schedule} or {@code ScheduleV2} event that is enabled; {@code expression} is
     * EventBridge's {@code rate(...)} or {@code cron(...)}.
     */
    public record ScheduleEvent(String name, String expression) {}

    /** A function with Globals.Function merged in; environment values are unresolved. */
    public record Function(String logicalId, String handler, String codeUri, int timeoutSeconds, int memorySize,
                           Map<String, Object> environment, List<HttpApiEvent> httpApiEvents,
                           List<SqsEvent> sqsEvents, List<ScheduleEvent> scheduleEvents) {}

    private final Path file;
    private final Map<String, Object> root;

    private CfnTemplate(Path file, Map<String, Object> root) {
        this.file = file;
        this.root = root;
    }

    /** Reads template.yaml from the working directory or the nearest directory above it. */
    public static CfnTemplate load() {
        return load(locate());
    }

    public static CfnTemplate load(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object root = new Yaml(new CloudFormationConstructor()).load(reader);
            if (!(root instanceof Map)) {
                throw new IllegalArgumentException(file + " is not a CloudFormation template (no top-level mapping)");
            }
            return new CfnTemplate(file.toAbsolutePath().normalize(), map(root));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Finds template.yaml by walking up from the working directory, because tests run in their
     * module's directory while the template sits at the repository root.
     */
    public static Path locate() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("template.yaml");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("No template.yaml in " + start + " or any directory above it");
    }

    /** The repository: the directory of the nearest template.yaml (events/, catalog/, local/ sit beside it). */
    public static Path repositoryRoot() {
        return locate().toAbsolutePath().getParent();
    }

    public Path file() {
        return file;
    }

    public Map<String, Parameter> parameters() {
        Map<String, Parameter> result = new LinkedHashMap<>();
        section("Parameters").forEach((name, value) -> {
            Map<String, Object> props = map(value);
            Object type = props.getOrDefault("Type", "String");
            Optional<String> defaultValue = Optional.ofNullable(props.get("Default")).map(CfnTemplate::scalar);
            result.put(name, new Parameter(name, String.valueOf(type), defaultValue));
        });
        return result;
    }

    public Map<String, Resource> resources() {
        Map<String, Resource> result = new LinkedHashMap<>();
        section("Resources").forEach((id, value) -> {
            Map<String, Object> body = map(value);
            Object type = body.get("Type");
            if (type == null) {
                throw new IllegalArgumentException("Resource " + id + " in " + file + " has no Type");
            }
            result.put(id, new Resource(id, type.toString(), map(body.getOrDefault("Properties", Map.of()))));
        });
        return result;
    }

    public Optional<Resource> resource(String logicalId) {
        return Optional.ofNullable(resources().get(logicalId));
    }

    /** A resource attribute beside its Properties ({@code DeletionPolicy}, {@code UpdateReplacePolicy}, ...). */
    public Optional<String> resourceAttribute(String logicalId, String attribute) {
        return Optional.ofNullable(section("Resources").get(logicalId))
                .map(body -> map(body).get(attribute)).map(String::valueOf);
    }

    public List<Resource> resourcesOfType(String type) {
        return resources().values().stream().filter(r -> r.type().equals(type)).toList();
    }

    /** The template's Conditions section (unresolved), for Fn::If and Condition. */
    public Map<String, Object> conditions() {
        return section("Conditions");
    }

    /** The template's Outputs section (unresolved). */
    public Map<String, Object> outputs() {
        return section("Outputs");
    }

    /** The template's Mappings section, for Fn::FindInMap. */
    public Map<String, Object> mappings() {
        return section("Mappings");
    }

    public Map<String, Function> functions() {
        Map<String, Object> globals = map(section("Globals").getOrDefault("Function", Map.of()));
        Map<String, Function> result = new LinkedHashMap<>();
        for (Resource resource : resourcesOfType(FUNCTION)) {
            result.put(resource.logicalId(), function(resource, globals));
        }
        return result;
    }

    public Function function(String logicalId) {
        Function function = functions().get(logicalId);
        if (function == null) {
            throw new IllegalArgumentException("No " + FUNCTION + " named " + logicalId + " in " + file);
        }
        return function;
    }

    /**
     * The CorsConfiguration of the HTTP API ({@code true}, a mapping, or empty when CORS is
     * off). The local server serves one API, so a template with two HttpApi resources is
     * refused rather than half-served.
     */
    public Optional<Object> httpApiCorsConfiguration() {
        List<Resource> apis = resourcesOfType(HTTP_API);
        if (apis.size() > 1) {
            throw new IllegalStateException(file + " has " + apis.size() + " " + HTTP_API
                    + " resources; the local server serves exactly one");
        }
        Object cors = apis.isEmpty() ? null : apis.get(0).properties().get("CorsConfiguration");
        if (cors == null) {
            cors = map(section("Globals").getOrDefault("HttpApi", Map.of())).get("CorsConfiguration");
        }
        return Optional.ofNullable(cors);
    }

    private Function function(Resource resource, Map<String, Object> globals) {
        Map<String, Object> props = resource.properties();
        String id = resource.logicalId();
        Object handler = props.getOrDefault("Handler", globals.get("Handler"));
        if (handler == null) {
            throw new IllegalArgumentException("Function " + id + " has no Handler");
        }
        Map<String, Object> environment = new LinkedHashMap<>(variables(globals));
        environment.putAll(variables(props));

        List<HttpApiEvent> http = new ArrayList<>();
        List<SqsEvent> sqs = new ArrayList<>();
        List<ScheduleEvent> schedules = new ArrayList<>();
        map(props.getOrDefault("Events", Map.of())).forEach((name, value) -> {
            Map<String, Object> event = map(value);
            Map<String, Object> eventProps = map(event.getOrDefault("Properties", Map.of()));
            switch (String.valueOf(event.get("Type"))) {
                case "HttpApi" -> http.add(httpApiEvent(name, eventProps));
                case "SQS" -> sqs.add(sqsEvent(id, name, eventProps));
                case "Schedule", "ScheduleV2" -> scheduleEvent(name, eventProps).ifPresent(schedules::add);
                default -> { } // other event sources are not emulated locally
            }
        });
        return new Function(id, handler.toString(),
                String.valueOf(props.getOrDefault("CodeUri", globals.get("CodeUri"))),
                integer(props.getOrDefault("Timeout", globals.get("Timeout")), 3),
                integer(props.getOrDefault("MemorySize", globals.get("MemorySize")), 128),
                environment, List.copyOf(http), List.copyOf(sqs), List.copyOf(schedules));
    }

    /** SAM's Schedule takes {@code Schedule} and {@code Enabled}; ScheduleV2 {@code ScheduleExpression} and {@code State}. */
    private static Optional<ScheduleEvent> scheduleEvent(String name, Map<String, Object> props) {
        Object expression = props.getOrDefault("Schedule", props.get("ScheduleExpression"));
        boolean disabled = "false".equals(String.valueOf(props.get("Enabled"))) || "DISABLED".equals(props.get("State"));
        return expression == null || disabled ? Optional.empty() : Optional.of(new ScheduleEvent(name, scalar(expression)));
    }

    private HttpApiEvent httpApiEvent(String name, Map<String, Object> props) {
        Map<String, Object> auth = map(props.getOrDefault("Auth", Map.of()));
        String authorizer = auth.containsKey("Authorizer") ? scalar(auth.get("Authorizer")) : defaultAuthorizer();
        if ("NONE".equals(authorizer)) {
            authorizer = null;
        }
        List<String> scopes = auth.get("AuthorizationScopes") instanceof List<?> list
                ? list.stream().map(String::valueOf).toList() : List.of();
        // SAM: an HttpApi event without Path and Method is the API's catch-all $default route.
        if (!props.containsKey("Path") && !props.containsKey("Method")) {
            return new HttpApiEvent(name, "ANY", "$default", authorizer, scopes);
        }
        String method = String.valueOf(props.getOrDefault("Method", "ANY")).toUpperCase(Locale.ROOT);
        if (method.equals("X-AMAZON-APIGATEWAY-ANY-METHOD") || method.equals("*")) {
            method = "ANY";
        }
        return new HttpApiEvent(name, method, String.valueOf(props.get("Path")), authorizer, scopes);
    }

    /** SAM's {@code Auth.DefaultAuthorizer} of the HTTP API: routes without their own Auth use it. */
    private String defaultAuthorizer() {
        List<Resource> apis = resourcesOfType(HTTP_API);
        if (apis.isEmpty()) {
            return null;
        }
        Object value = map(apis.get(0).properties().getOrDefault("Auth", Map.of())).get("DefaultAuthorizer");
        return value == null ? null : scalar(value);
    }

    /**
     * The HTTP API's {@code Auth.Authorizers} (unresolved), by name: for a JWT authorizer,
     * {@code IdentitySource} and {@code JwtConfiguration} with {@code issuer} and {@code audience}.
     */
    public Map<String, Map<String, Object>> httpApiAuthorizers() {
        List<Resource> apis = resourcesOfType(HTTP_API);
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        if (!apis.isEmpty()) {
            map(map(apis.get(0).properties().getOrDefault("Auth", Map.of())).getOrDefault("Authorizers", Map.of()))
                    .forEach((name, value) -> result.put(name, map(value)));
        }
        return result;
    }

    private SqsEvent sqsEvent(String function, String name, Map<String, Object> props) {
        Object queue = props.get("Queue");
        if (queue == null) {
            throw new IllegalArgumentException("SQS event " + name + " of " + function + " has no Queue");
        }
        Object responseTypes = props.getOrDefault("FunctionResponseTypes", List.of());
        boolean reportFailures = responseTypes instanceof List<?> list && list.contains("ReportBatchItemFailures");
        return new SqsEvent(name, queue, integer(props.get("BatchSize"), 10), reportFailures);
    }

    private static Map<String, Object> variables(Map<String, Object> functionProps) {
        Map<String, Object> environment = map(functionProps.getOrDefault("Environment", Map.of()));
        return map(environment.getOrDefault("Variables", Map.of()));
    }

    private Map<String, Object> section(String name) {
        return map(root.getOrDefault(name, Map.of()));
    }

    private static int integer(Object value, int fallback) {
        if (value instanceof Number number) {
            return number.intValue();
        }
        if (value instanceof String text && text.matches("\\d+")) {
            return Integer.parseInt(text);
        }
        return fallback;
    }

    static String scalar(Object value) {
        if (value instanceof List<?> || value instanceof Map<?, ?>) {
            throw new IllegalArgumentException("Expected a scalar, got " + value);
        }
        return String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("Expected a mapping, got " + value);
        }
        return (Map<String, Object>) value;
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
