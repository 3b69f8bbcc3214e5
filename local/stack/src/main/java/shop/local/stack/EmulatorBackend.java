package shop.local.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * The open-source stand-ins that need neither Docker nor an account: moto's server (DynamoDB,
 * with transactions and TTL settings, and Cognito user pools) as a Python child process, s3rver
 * and aws-ses-v2-local (the most faithful store of sent mail) as Node child processes, ElasticMQ
 * inside this JVM. Each listens on
 * 127.0.0.1 only, on a free port, so nothing collides with other programs or other test JVMs.
 */
final class EmulatorBackend implements Backend {

    /** s3rver accepts only this key pair; the others accept any, so every client uses it. */
    private static final String KEY = "S3RVER";

    private final Path workDir;
    private final SQSRestServer elasticMq;
    private final int sqsPort;
    private final EmulatorProcess moto;
    private final EmulatorProcess s3rver;
    private final EmulatorProcess ses;

    private EmulatorBackend(Path workDir, SQSRestServer elasticMq, int sqsPort, List<EmulatorProcess> children) {
        this.workDir = workDir;
        this.elasticMq = elasticMq;
        this.sqsPort = sqsPort;
        this.moto = children.get(0);
        this.s3rver = children.get(1);
        this.ses = children.get(2);
    }

    static EmulatorBackend start() {
        Path localDir = NodeModules.localDirectory();
        NodeModules.ensureInstalled(localDir);
        PythonModules.ensureInstalled(localDir);
        Path workDir = createWorkDir();

        // The three processes start in parallel: each spends most of its start-up loading modules.
        List<CompletableFuture<EmulatorProcess>> starting = List.of(
                CompletableFuture.supplyAsync(() -> startMoto(localDir, workDir)),
                CompletableFuture.supplyAsync(() -> startS3rver(localDir, workDir)),
                CompletableFuture.supplyAsync(() -> startSes(localDir, workDir)));
        SQSRestServer elasticMq = null;
        RuntimeException failure = null;
        int sqsPort = -1;
        try {
            elasticMq = SQSRestServerBuilder.withPort(0).withInterface("127.0.0.1")
                    .withAWSRegion(IntrinsicResolver.LOCAL_REGION)
                    .withAWSAccountId(IntrinsicResolver.LOCAL_ACCOUNT_ID).start();
            sqsPort = elasticMq.waitUntilStarted().localAddress().getPort();
        } catch (RuntimeException e) {
            failure = new IllegalStateException("ElasticMQ (SQS) did not start: " + e.getMessage(), e);
        }
        List<EmulatorProcess> started = new ArrayList<>();
        for (CompletableFuture<EmulatorProcess> future : starting) {
            try {
                started.add(future.join());
            } catch (CompletionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        }
        if (failure != null) {
            started.forEach(EmulatorProcess::close);
            if (elasticMq != null) {
                elasticMq.stopAndWait();
            }
            deleteRecursively(workDir);
            throw failure;
        }
        return new EmulatorBackend(workDir, elasticMq, sqsPort, started);
    }

    private static EmulatorProcess startMoto(Path localDir, Path workDir) {
        int port = EmulatorProcess.freePort();
        // In memory; tables are ACTIVE at once. Cognito checks TOTP codes only when told to, and
        // signing in must take a right code and refuse a wrong one, as on AWS.
        return EmulatorProcess.start("moto", workDir, workDir, port, PythonModules.motoServer(localDir, port),
                java.util.Map.of("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true"),
                "is Python 3 with moto installed (local/requirements.txt)?");
    }

    private static EmulatorProcess startS3rver(Path localDir, Path workDir) {
        int port = EmulatorProcess.freePort();
        return EmulatorProcess.startNode("s3rver", localDir, workDir, port, NodeModules.S3RVER, List.of(
                "-d", workDir.resolve("s3").toString(), "-a", "127.0.0.1", "-p", String.valueOf(port), "--silent"));
    }

    private static EmulatorProcess startSes(Path localDir, Path workDir) {
        int port = EmulatorProcess.freePort();
        return EmulatorProcess.startNode("aws-ses-v2-local", localDir, workDir, port, NodeModules.SES_SERVER, List.of(
                "--host", "127.0.0.1", "--port", String.valueOf(port)));
    }

    @Override
    public URI endpoint(Service service) {
        int port = switch (service) {
            case DYNAMODB, COGNITO_IDP, SSM -> moto.port();
            case S3 -> s3rver.port();
            case SESV2 -> ses.port();
            case SQS -> sqsPort;
        };
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public String standIn(Service service) {
        return switch (service) {
            case DYNAMODB, COGNITO_IDP, SSM -> "moto";
            case S3 -> "s3rver";
            case SESV2 -> "aws-ses-v2-local";
            case SQS -> "ElasticMQ, in-process";
        };
    }

    @Override
    public String region() {
        return IntrinsicResolver.LOCAL_REGION;
    }

    @Override
    public String accessKeyId() {
        return KEY;
    }

    @Override
    public String secretAccessKey() {
        return KEY;
    }

    @Override
    public Mailbox mailbox() {
        return Mailbox.sesV2Local(endpoint(Service.SESV2));
    }

    @Override
    public List<ProcessHandle> processes() {
        return List.of(moto.handle(), s3rver.handle(), ses.handle());
    }

    @Override
    public void close() {
        Stream.of(moto, s3rver, ses).parallel().forEach(EmulatorProcess::close);
        elasticMq.stopAndWait();
        deleteRecursively(workDir);
    }

    private static Path createWorkDir() {
        try {
            return Files.createTempDirectory("shop-local-stack");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp directory is harmless.
        }
    }
}
