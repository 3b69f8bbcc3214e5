package shop.local.stack;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The AWS services the shop uses, running on this machine, with the tables, buckets and
 * queues of template.yaml created in them, and its Cognito user pool with a local owner and
 * staff user ({@link #admins()}). One of three backends, in this order:
 * <ol>
 *   <li>{@code AWS_ENDPOINT_URL} is set: every service at that endpoint; nothing is started.</li>
 *   <li>A Docker engine answers: LocalStack through Testcontainers.</li>
 *   <li>Otherwise: moto's server (DynamoDB and Cognito; Python, a child process), s3rver and
 *       aws-ses-v2-local (npm, child processes) and ElasticMQ (in this JVM). This is what runs on the project's machines and in CI.</li>
 * </ol>
 * Closing it stops everything it started. Each emulator process also has its own JVM
 * shutdown hook, so Ctrl-C (even during start-up) leaves nothing running; ElasticMQ lives in
 * this JVM and ends with it; Testcontainers removes a LocalStack container.
 */
public final class LocalAws implements AutoCloseable {

    private final Backend backend;
    private final CfnTemplate template;
    private final AwsClients clients;
    private final DynamoDbClient dynamo;
    private final S3Client s3;
    private final SqsClient sqs;
    private final CognitoIdentityProviderClient cognito;
    private final SsmClient ssm;
    private final Mailbox mailbox;
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
    /** Ids the local Cognito chose for user pools and clients, by template file and logical id. */
    private final Map<String, String> liveIds = new ConcurrentHashMap<>();
    private volatile LocalAdmins admins;
    private volatile URI payPageBase = URI.create("http://localhost:3000");
    private StripeStandIn stripe;
    private volatile Consumer<StripeStandIn.SignedEvent> stripeWebhooks;
    private boolean closed;

    private LocalAws(Backend backend, CfnTemplate template) {
        this.backend = backend;
        this.template = template;
        this.clients = new AwsClients(backend.region(), backend.accessKeyId(), backend.secretAccessKey());
        this.dynamo = clients.dynamo(backend.endpoint(Service.DYNAMODB));
        this.s3 = clients.s3(backend.endpoint(Service.S3));
        this.sqs = clients.sqs(backend.endpoint(Service.SQS));
        this.cognito = clients.cognito(backend.endpoint(Service.COGNITO_IDP));
        this.ssm = clients.ssm(backend.endpoint(Service.SSM));
        this.mailbox = backend.mailbox();
    }

    /** Starts the services and creates the resources of the nearest template.yaml. */
    public static LocalAws start() {
        return start(CfnTemplate.locate());
    }

    /** Starts the services and creates the resources of {@code templateFile}. */
    public static LocalAws start(Path templateFile) {
        CfnTemplate template = CfnTemplate.load(templateFile);
        Backend backend = startBackend(System.getenv());
        try {
            LocalAws aws = new LocalAws(backend, template);
            aws.createResources(template);
            aws.putSecureStrings(template);
            aws.enrollAdmins(template);
            return aws;
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    private static Backend startBackend(Map<String, String> env) {
        String endpoint = env.get("AWS_ENDPOINT_URL");
        if (endpoint != null && !endpoint.isBlank()) {
            return new EndpointBackend(endpoint, env);
        }
        if (LocalStackBackend.dockerAvailable()) {
            return LocalStackBackend.start();
        }
        return EmulatorBackend.start();
    }

    /**
     * Creates the tables, buckets and queues of another template (a test's fixture) on these
     * services. Existing ones are left as they are.
     */
    public void createResources(CfnTemplate other) {
        new TemplateResources(resolver(other, Map.of()), dynamo, s3, sqs, cognito,
                (logicalId, id) -> liveIds.put(key(other, logicalId), id)).createAll();
    }

    /**
     * The SecureStrings the functions read on first use (LocalParameters.SECURE_STRINGS), under
     * the names the template's parameters give, as the README asks a deployer to create them.
     */
    private void putSecureStrings(CfnTemplate template) {
        IntrinsicResolver resolver = resolver(template, Map.of());
        LocalParameters.SECURE_STRINGS.forEach((parameter, value) -> {
            if (template.parameters().containsKey(parameter)) {
                String name = resolver.resolveString(Map.of("Ref", parameter));
                ssm.putParameter(b -> b.name(name).value(value).type(ParameterType.SECURE_STRING).overwrite(true));
            }
        });
    }

    /** The local owner and staff user in the pool of the template's app client, if it has one. */
    private void enrollAdmins(CfnTemplate template) {
        IntrinsicResolver resolver = resolver(template, Map.of());
        template.resourcesOfType(CfnTemplate.USER_POOL_CLIENT).stream().findFirst().ifPresent(client -> {
            String poolId = resolver.resolveString(client.properties().get("UserPoolId"));
            admins = LocalAdmins.enroll(cognito, poolId, resolver.physicalName(client.logicalId()),
                    endpoint(Service.COGNITO_IDP), region());
        });
    }

    /**
     * The back office's local users (owner and staff, with passwords and authenticators) and the
     * user pool they sign in to.
     */
    public LocalAdmins admins() {
        if (admins == null) {
            throw new IllegalStateException(template.file() + " has no AWS::Cognito::UserPoolClient: no local admins");
        }
        return admins;
    }

    public CognitoIdentityProviderClient cognito() {
        return cognito;
    }

    private static String key(CfnTemplate template, String logicalId) {
        return template.file() + "#" + logicalId;
    }

    public URI endpoint(Service service) {
        return backend.endpoint(service);
    }

    /** What serves {@code service}, for people: "moto", "ElasticMQ, in-process", "LocalStack", ... */
    public String standIn(Service service) {
        return backend.standIn(service);
    }

    public String region() {
        return backend.region();
    }

    public CfnTemplate template() {
        return template;
    }

    public DynamoDbClient dynamo() {
        return dynamo;
    }

    /**
     * A new DynamoDB client on this stack that hands each operation's name ("Scan",
     * "TransactWriteItems") to {@code beforeEachCall} before sending it: for tests that record
     * what an adapter calls, or stop it at a given call by throwing ({@link StoppingDynamo}).
     */
    public DynamoDbClient dynamo(Consumer<String> beforeEachCall) {
        return clients.dynamo(backend.endpoint(Service.DYNAMODB), new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                beforeEachCall.accept(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            }
        });
    }

    /** SSM Parameter Store, where the local SecureStrings live. */
    public SsmClient ssm() {
        return ssm;
    }

    public S3Client s3() {
        return s3;
    }

    public SqsClient sqs() {
        return sqs;
    }

    public Mailbox mailbox() {
        return mailbox;
    }

    /**
     * The Stripe stand-in, started on first use (most test runs never need it). The functions
     * that talk to Stripe get its address and keys through {@link #functionEnvironment}.
     */
    public synchronized StripeStandIn stripe() {
        if (closed) {
            throw new IllegalStateException("This LocalAws is closed");
        }
        if (stripe == null) {
            stripe = StripeStandIn.start(java.time.Clock.systemUTC(), () -> payPageBase);
            stripe.sendWebhooksTo(event -> {
                var endpoint = stripeWebhooks;
                if (endpoint != null) {
                    endpoint.accept(event);
                }
            });
        }
        return stripe;
    }

    /**
     * Where the Stripe stand-in sends the events of API calls (a refund's charge.refunded): the
     * local API server's own webhook, as the Stripe Dashboard's endpoint setting would.
     */
    public void stripeWebhooks(Consumer<StripeStandIn.SignedEvent> endpoint) {
        this.stripeWebhooks = endpoint;
    }

    /** Where the local API server serves the Stripe stand-in's pay page (its base URL). */
    public void payPageBase(URI base) {
        this.payPageBase = base;
    }

    /** The local name of a table, bucket or queue of template.yaml: what {@code !Ref} to it gives. */
    public String physicalName(String logicalId) {
        return resolver(template, Map.of()).physicalName(logicalId);
    }

    /** The URL of a queue of {@code template}, as the queue service reports it. */
    public String queueUrl(CfnTemplate template, String logicalId) {
        String name = resolver(template, Map.of()).physicalName(logicalId);
        return queueUrls.computeIfAbsent(name, n -> sqs.getQueueUrl(b -> b.queueName(n)).queueUrl());
    }

    /** A resolver for {@code template} whose queue ARNs and URLs come from the running queue service. */
    public IntrinsicResolver resolver(CfnTemplate template, Map<String, String> parameterOverrides) {
        return new IntrinsicResolver(template, LocalParameters.lookup(template, parameterOverrides),
                region(), IntrinsicResolver.LOCAL_ACCOUNT_ID, this::liveAttribute, resource -> {
                    String id = liveIds.get(key(template, resource.logicalId()));
                    if (id == null) { // resolving now would silently give the logical id, which names nothing
                        throw new IllegalStateException(resource.logicalId() + " (" + resource.type()
                                + ") is not created on the local Cognito yet, so its id is unknown");
                    }
                    return Optional.of(id);
                });
    }

    private Optional<String> liveAttribute(CfnTemplate.Resource resource, String name, String attribute) {
        if (!resource.type().equals(CfnTemplate.QUEUE)) {
            return Optional.empty();
        }
        String url = queueUrls.computeIfAbsent(name, n -> sqs.getQueueUrl(b -> b.queueName(n)).queueUrl());
        return switch (attribute) {
            case "QueueUrl" -> Optional.of(url);
            case "Arn" -> Optional.of(sqs.getQueueAttributes(b -> b.queueUrl(url)
                    .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN));
            default -> Optional.empty();
        };
    }

    /** {@link #functionEnvironment(CfnTemplate, String, Map)} for a function of template.yaml. */
    public Map<String, String> functionEnvironment(String functionLogicalId, Map<String, String> parameterOverrides) {
        return functionEnvironment(template, functionLogicalId, parameterOverrides);
    }

    /**
     * The environment the function would get on Lambda, pointed at these services: its
     * Environment.Variables (Globals merged, resolved; JAVA_TOOL_OPTIONS left out because it
     * tunes the Lambda JVM, not this one), the region and key pair, and the SDK's per-service
     * endpoint variables; a function with STRIPE_ variables also gets the Stripe stand-in's
     * address and keys.
     */
    public Map<String, String> functionEnvironment(CfnTemplate template, String functionLogicalId,
                                                   Map<String, String> parameterOverrides) {
        IntrinsicResolver resolver = resolver(template, parameterOverrides);
        Map<String, String> env = new LinkedHashMap<>();
        template.function(functionLogicalId).environment().forEach((name, value) -> {
            if (!name.equals("JAVA_TOOL_OPTIONS")) {
                String resolved = resolver.resolveString(value);
                env.put(name, resolved == null ? "" : resolved);
            }
        });
        env.put("AWS_REGION", region());
        env.put("AWS_ACCESS_KEY_ID", backend.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", backend.secretAccessKey());
        for (Service service : Service.values()) {
            env.put(service.endpointVariable(), endpoint(service).toString());
        }
        env.put("AWS_ENDPOINT_URL_SES", endpoint(Service.SESV2).toString()); // SES v1 clients
        if (env.keySet().stream().anyMatch(name -> name.startsWith("STRIPE_"))) {
            // The values themselves, which the functions prefer to the SSM parameter names.
            env.put("STRIPE_SECRET_KEY", StripeStandIn.SECRET_KEY);
            env.put("STRIPE_WEBHOOK_SECRET", StripeStandIn.WEBHOOK_SECRET);
            env.put("STRIPE_API_BASE", stripe().apiBase().toString());
        }
        return env;
    }

    /** The child processes started for the emulators; empty for the other backends. */
    List<ProcessHandle> processes() {
        return backend.processes();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (stripe != null) {
            stripe.close();
        }
        dynamo.close();
        s3.close();
        sqs.close();
        cognito.close();
        ssm.close();
        backend.close();
    }
}
