package shop.local.stack;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * An endpoint someone else runs, named by {@code AWS_ENDPOINT_URL} (for example a LocalStack
 * a developer started). Nothing is started or stopped here.
 */
final class EndpointBackend implements Backend {

    private final URI endpoint;
    private final Map<String, String> env;

    EndpointBackend(String endpoint, Map<String, String> env) {
        this.endpoint = URI.create(endpoint);
        this.env = env;
    }

    @Override
    public URI endpoint(Service service) {
        return endpoint;
    }

    @Override
    public String standIn(Service service) {
        return "AWS_ENDPOINT_URL";
    }

    @Override
    public String region() {
        return env.getOrDefault("AWS_REGION", IntrinsicResolver.LOCAL_REGION);
    }

    @Override
    public String accessKeyId() {
        return env.getOrDefault("AWS_ACCESS_KEY_ID", "test");
    }

    @Override
    public String secretAccessKey() {
        return env.getOrDefault("AWS_SECRET_ACCESS_KEY", "test");
    }

    /** Readable only when the endpoint is a LocalStack; anything else throws UnsupportedOperationException on use. */
    @Override
    public Mailbox mailbox() {
        return Mailbox.localStack(endpoint);
    }

    @Override
    public List<ProcessHandle> processes() {
        return List.of();
    }

    @Override
    public void close() {
    }
}
