package shop.local.stack;

import java.net.URI;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack in a container, for machines with a Docker engine. The development machines and
 * CI of this project have none, so this path compiles but has not been run there; it follows
 * Testcontainers' documented LocalStack module.
 */
final class LocalStackBackend implements Backend {

    private static final DockerImageName IMAGE = DockerImageName.parse("localstack/localstack:4");

    private final LocalStackContainer container;

    private LocalStackBackend(LocalStackContainer container) {
        this.container = container;
    }

    /** True only when a Docker engine answers; any failure to find one means "no". */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    static LocalStackBackend start() {
        LocalStackContainer container = new LocalStackContainer(IMAGE).withServices("dynamodb", "s3", "sqs", "ses");
        container.start();
        return new LocalStackBackend(container);
    }

    @Override
    public URI endpoint(Service service) {
        return container.getEndpoint();
    }

    @Override
    public String standIn(Service service) {
        return "LocalStack";
    }

    @Override
    public String region() {
        return container.getRegion();
    }

    @Override
    public String accessKeyId() {
        return container.getAccessKey();
    }

    @Override
    public String secretAccessKey() {
        return container.getSecretKey();
    }

    @Override
    public Mailbox mailbox() {
        return Mailbox.localStack(container.getEndpoint());
    }

    @Override
    public List<ProcessHandle> processes() {
        return List.of();
    }

    @Override
    public void close() {
        container.stop();
    }
}
