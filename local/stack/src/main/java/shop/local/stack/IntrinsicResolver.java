package shop.local.stack;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves CloudFormation intrinsic functions the way the local stack deploys the template:
 * a resource's physical name is its explicit name property if it has one, else its logical id
 * (lowercased for buckets, which S3 requires); ARNs use the local region and account.
 *
 * <p>Supported: Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If, Fn::Equals,
 * Fn::Not, Fn::And, Fn::Or, Condition, Fn::FindInMap, Fn::Base64, Fn::GetAZs. Anything else
 * fails with an exception that names it, rather than passing a map where a string belongs.
 */
public final class IntrinsicResolver {

    public static final String LOCAL_REGION = "us-east-1";
    public static final String LOCAL_ACCOUNT_ID = "000000000000";

    /** Attributes that only the running service knows, such as a queue's URL. */
    @FunctionalInterface
    public interface LiveAttributes {
        Optional<String> attribute(CfnTemplate.Resource resource, String physicalName, String attribute);
    }

    /**
     * Ids the running service chose (a Cognito user pool's or client's id): what {@code Ref} to
     * such a resource gives. Empty where the resource has not been created; a resolver that
     * knows no service (a template check) then answers the logical id.
     */
    @FunctionalInterface
    public interface LiveIds {
        Optional<String> id(CfnTemplate.Resource resource);
    }

    /** What {@code Ref AWS::NoValue} resolves to; removed from the surrounding list or map. */
    private static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "AWS::NoValue";
        }
    };
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    private final CfnTemplate template;
    private final Map<String, CfnTemplate.Resource> resources;
    private final Map<String, CfnTemplate.Parameter> parameters;
    private final UnaryOperator<String> parameterValues;
    private final String region;
    private final String accountId;
    private final LiveAttributes live;
    private final LiveIds liveIds;

    public IntrinsicResolver(CfnTemplate template, UnaryOperator<String> parameterValues, String region,
                             String accountId, LiveAttributes live) {
        this(template, parameterValues, region, accountId, live, resource -> Optional.empty());
    }

    public IntrinsicResolver(CfnTemplate template, UnaryOperator<String> parameterValues, String region,
                             String accountId, LiveAttributes live, LiveIds liveIds) {
        this.liveIds = liveIds;
        this.template = template;
        this.resources = template.resources();
        this.parameters = template.parameters();
        this.parameterValues = parameterValues;
        this.region = region;
        this.accountId = accountId;
        this.live = live;
    }

    /** A resolver with {@link LocalParameters}, the local region and account, and no live attributes. */
    public static IntrinsicResolver local(CfnTemplate template, Map<String, String> parameterOverrides) {
        return new IntrinsicResolver(template, LocalParameters.lookup(template, parameterOverrides),
                LOCAL_REGION, LOCAL_ACCOUNT_ID, (resource, name, attribute) -> Optional.empty());
    }

    public CfnTemplate template() {
        return template;
    }

    /** Resolves every intrinsic in {@code value}, deeply; plain values come back unchanged. */
    public Object resolve(Object value) {
        Object resolved = resolveOrNoValue(value);
        return resolved == NO_VALUE ? null : resolved;
    }

    public String resolveString(Object value) {
        Object resolved = resolve(value);
        if (resolved instanceof List<?> || resolved instanceof Map<?, ?>) {
            throw new IllegalArgumentException("Expected " + value + " to resolve to a string, got " + resolved);
        }
        return resolved == null ? null : String.valueOf(resolved);
    }

    /** The name the local stack gives a resource: what {@code Ref} to it returns. */
    public String physicalName(String logicalId) {
        CfnTemplate.Resource resource = resources.get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("No resource " + logicalId + " in " + template.file());
        }
        Map<String, Object> props = resource.properties();
        return switch (resource.type()) {
            case CfnTemplate.TABLE, CfnTemplate.SIMPLE_TABLE -> explicitName(props, "TableName", logicalId);
            case CfnTemplate.BUCKET -> explicitName(props, "BucketName", logicalId.toLowerCase(Locale.ROOT));
            case CfnTemplate.QUEUE -> explicitName(props, "QueueName",
                    isTrue(props.get("FifoQueue")) ? logicalId + ".fifo" : logicalId);
            case CfnTemplate.FUNCTION -> explicitName(props, "FunctionName", logicalId);
            // Ref to a group gives its name, to a user its username; pool and client ids are the service's.
            case CfnTemplate.USER_POOL_GROUP -> explicitName(props, "GroupName", logicalId);
            case CfnTemplate.USER_POOL_USER -> explicitName(props, "Username", logicalId);
            case CfnTemplate.USER_POOL, CfnTemplate.USER_POOL_CLIENT -> liveIds.id(resource).orElse(logicalId);
            default -> logicalId;
        };
    }

    private String explicitName(Map<String, Object> props, String property, String fallback) {
        return props.containsKey(property) ? resolveString(props.get(property)) : fallback;
    }

    private Object resolveOrNoValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1 && isIntrinsic(map)) {
                Map.Entry<?, ?> only = map.entrySet().iterator().next();
                return intrinsic(String.valueOf(only.getKey()), only.getValue());
            }
            Map<Object, Object> result = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                Object resolved = resolveOrNoValue(v);
                if (resolved != NO_VALUE) {
                    result.put(k, resolved);
                }
            });
            return result;
        }
        if (value instanceof List<?> list) {
            List<Object> result = new ArrayList<>();
            for (Object item : list) {
                Object resolved = resolveOrNoValue(item);
                if (resolved != NO_VALUE) {
                    result.add(resolved);
                }
            }
            return result;
        }
        return value;
    }

    private static boolean isIntrinsic(Map<?, ?> map) {
        Map.Entry<?, ?> only = map.entrySet().iterator().next();
        String key = String.valueOf(only.getKey());
        // "Condition" is also an ordinary key (IAM statements), but then its value is a mapping.
        return key.equals("Ref") || key.startsWith("Fn::") || key.equals("Condition") && only.getValue() instanceof String;
    }

    private Object intrinsic(String function, Object argument) {
        try {
            return switch (function) {
                case "Ref" -> ref(resolveString(argument));
                case "Fn::GetAtt" -> getAtt(argument);
                case "Fn::Sub" -> sub(argument);
                case "Fn::Join" -> join(list(function, argument, 2));
                case "Fn::Select" -> select(list(function, argument, 2));
                case "Fn::Split" -> split(list(function, argument, 2));
                case "Fn::If" -> fnIf(list(function, argument, 3));
                case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or" -> condition(Map.of(function, argument));
                case "Condition" -> namedCondition(resolveString(argument));
                case "Fn::FindInMap" -> findInMap(list(function, argument, 3));
                case "Fn::Base64" -> Base64.getEncoder().encodeToString(
                        resolveString(argument).getBytes(StandardCharsets.UTF_8));
                case "Fn::GetAZs" -> List.of(region + "a", region + "b", region + "c");
                default -> throw new UnsupportedOperationException(
                        function + " is not supported by the local stack");
            };
        } catch (ResolutionException e) {
            throw e; // already names the innermost intrinsic that failed
        } catch (RuntimeException e) {
            throw new ResolutionException("Cannot resolve {" + function + ": " + argument + "} in "
                    + template.file() + ": " + e.getMessage(), e);
        }
    }

    /** Names the intrinsic that could not be resolved, and why. */
    public static final class ResolutionException extends IllegalArgumentException {
        ResolutionException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Object ref(String name) {
        switch (name) {
            case "AWS::Region":
                return region;
            case "AWS::AccountId":
                return accountId;
            case "AWS::Partition":
                return "aws";
            case "AWS::URLSuffix":
                return "amazonaws.com";
            case "AWS::StackName":
                return "local";
            case "AWS::StackId":
                return "arn:aws:cloudformation:" + region + ":" + accountId
                        + ":stack/local/00000000-0000-0000-0000-000000000000";
            case "AWS::NotificationARNs":
                return List.of();
            case "AWS::NoValue":
                return NO_VALUE;
            default:
                break;
        }
        CfnTemplate.Parameter parameter = parameters.get(name);
        if (parameter != null) {
            String value = parameterValues.apply(name);
            boolean isList = parameter.type().equals("CommaDelimitedList") || parameter.type().startsWith("List<");
            return isList ? List.of(value.split(",", -1)) : value;
        }
        if (resources.containsKey(name)) {
            return physicalName(name);
        }
        throw new IllegalArgumentException("Ref to " + name
                + ", which is neither a parameter, a resource nor a pseudo parameter");
    }

    private String getAtt(Object argument) {
        if (argument instanceof String dotted) { // long form also allows "Resource.Attribute"
            int dot = dotted.indexOf('.');
            if (dot < 1) {
                throw new IllegalArgumentException("Fn::GetAtt needs Resource.Attribute, got '" + dotted + "'");
            }
            return attribute(dotted.substring(0, dot), dotted.substring(dot + 1));
        }
        List<?> parts = list("Fn::GetAtt", argument, 2);
        return attribute(resolveString(parts.get(0)), resolveString(parts.get(1)));
    }

    private String attribute(String logicalId, String attribute) {
        CfnTemplate.Resource resource = resources.get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("Fn::GetAtt on " + logicalId + ", which is not a resource");
        }
        String name = physicalName(logicalId);
        Optional<String> known = live.attribute(resource, name, attribute);
        if (known.isPresent()) {
            return known.get();
        }
        String arnPrefix = ":" + region + ":" + accountId + ":";
        String value = switch (resource.type() + "." + attribute) {
            case CfnTemplate.TABLE + ".Arn", CfnTemplate.SIMPLE_TABLE + ".Arn" ->
                    "arn:aws:dynamodb" + arnPrefix + "table/" + name;
            case CfnTemplate.QUEUE + ".Arn" -> "arn:aws:sqs" + arnPrefix + name;
            case CfnTemplate.QUEUE + ".QueueName" -> name;
            case CfnTemplate.QUEUE + ".QueueUrl" -> "https://sqs." + region + ".amazonaws.com/" + accountId + "/" + name;
            case CfnTemplate.BUCKET + ".Arn" -> "arn:aws:s3:::" + name;
            case CfnTemplate.BUCKET + ".DomainName" -> name + ".s3.amazonaws.com";
            case CfnTemplate.BUCKET + ".RegionalDomainName" -> name + ".s3." + region + ".amazonaws.com";
            case CfnTemplate.FUNCTION + ".Arn" -> "arn:aws:lambda" + arnPrefix + "function:" + name;
            case CfnTemplate.USER_POOL + ".Arn" -> "arn:aws:cognito-idp" + arnPrefix + "userpool/" + name;
            case CfnTemplate.USER_POOL + ".ProviderName" -> "cognito-idp." + region + ".amazonaws.com/" + name;
            case CfnTemplate.USER_POOL + ".ProviderURL" -> "https://cognito-idp." + region + ".amazonaws.com/" + name;
            case CfnTemplate.USER_POOL_CLIENT + ".ClientId" -> name;
            default -> null;
        };
        if (value == null) {
            throw new UnsupportedOperationException("Fn::GetAtt " + logicalId + "." + attribute
                    + " (a " + resource.type() + ") is not known to the local stack");
        }
        return value;
    }

    private String sub(Object argument) {
        String text;
        Map<String, Object> variables = Map.of();
        if (argument instanceof List<?> pair) {
            List<?> parts = list("Fn::Sub", pair, 2);
            text = (String) parts.get(0);
            variables = CfnTemplate.map(parts.get(1));
        } else {
            text = (String) argument;
        }
        Matcher matcher = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1).trim();
            String replacement;
            if (variable.startsWith("!")) {
                replacement = "${" + variable.substring(1) + "}"; // ${!Literal} stays literal
            } else if (variables.containsKey(variable)) {
                replacement = resolveString(variables.get(variable));
            } else if (variable.contains(".") && !variable.startsWith("AWS::")) {
                int dot = variable.indexOf('.');
                replacement = attribute(variable.substring(0, dot), variable.substring(dot + 1));
            } else {
                Object value = ref(variable);
                if (value instanceof List<?> || value == NO_VALUE) {
                    throw new IllegalArgumentException("${" + variable + "} in Fn::Sub is not a string");
                }
                replacement = String.valueOf(value);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private String join(List<?> args) {
        String delimiter = resolveString(args.get(0));
        List<String> parts = new ArrayList<>();
        for (Object part : asList(resolve(args.get(1)))) {
            parts.add(String.valueOf(part));
        }
        return String.join(delimiter, parts);
    }

    private Object select(List<?> args) {
        int index = Integer.parseInt(resolveString(args.get(0)).trim());
        List<?> items = asList(resolve(args.get(1)));
        if (index < 0 || index >= items.size()) {
            throw new IllegalArgumentException("Fn::Select index " + index + " is outside " + items);
        }
        return items.get(index);
    }

    private List<String> split(List<?> args) {
        String delimiter = resolveString(args.get(0));
        String source = resolveString(args.get(1));
        return List.of(source.split(Pattern.quote(delimiter), -1));
    }

    private Object fnIf(List<?> args) {
        boolean condition = namedCondition(resolveString(args.get(0)));
        return resolveOrNoValue(condition ? args.get(1) : args.get(2));
    }

    private boolean namedCondition(String name) {
        Object definition = template.conditions().get(name);
        if (definition == null) {
            throw new IllegalArgumentException("No condition " + name + " in " + template.file());
        }
        return condition(definition);
    }

    /** Evaluates a condition expression (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition). */
    private boolean condition(Object expression) {
        Map<String, Object> map = CfnTemplate.map(expression);
        if (map.size() != 1) {
            throw new IllegalArgumentException("Not a condition: " + expression);
        }
        Map.Entry<String, Object> only = map.entrySet().iterator().next();
        return switch (only.getKey()) {
            case "Fn::Equals" -> {
                List<?> pair = list("Fn::Equals", only.getValue(), 2);
                yield Objects.equals(String.valueOf(resolve(pair.get(0))), String.valueOf(resolve(pair.get(1))));
            }
            case "Fn::Not" -> !condition(list("Fn::Not", only.getValue(), 1).get(0));
            case "Fn::And" -> asList(only.getValue()).stream().allMatch(this::condition);
            case "Fn::Or" -> asList(only.getValue()).stream().anyMatch(this::condition);
            case "Condition" -> namedCondition(String.valueOf(only.getValue()));
            default -> throw new IllegalArgumentException("Not a condition function: " + only.getKey());
        };
    }

    private Object findInMap(List<?> args) {
        Map<String, Object> top = CfnTemplate.map(template.mappings().get(resolveString(args.get(0))));
        Map<String, Object> second = CfnTemplate.map(top.get(resolveString(args.get(1))));
        String key = resolveString(args.get(2));
        if (!second.containsKey(key)) {
            throw new IllegalArgumentException("Fn::FindInMap finds nothing for " + args);
        }
        return resolve(second.get(key));
    }

    private static List<?> list(String function, Object argument, int size) {
        List<?> list = asList(argument);
        if (list.size() != size) {
            throw new IllegalArgumentException(function + " takes " + size + " arguments, got " + argument);
        }
        return list;
    }

    private static List<?> asList(Object value) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("Expected a list, got " + value);
        }
        return list;
    }

    static boolean isTrue(Object value) {
        return value != null && Boolean.parseBoolean(String.valueOf(value));
    }
}
