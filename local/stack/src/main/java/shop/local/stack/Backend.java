package shop.local.stack;

import java.net.URI;
import java.util.List;

/** Where the AWS APIs are served: the npm emulators, a LocalStack container, or a given endpoint. */
interface Backend extends AutoCloseable {

    URI endpoint(Service service);

    /** What serves {@code service}, for people: "moto", "LocalStack", ... */
    String standIn(Service service);

    String region();

    String accessKeyId();

    String secretAccessKey();

    Mailbox mailbox();

    /** The child processes this backend started (empty when it started none). */
    List<ProcessHandle> processes();

    @Override
    void close();
}
