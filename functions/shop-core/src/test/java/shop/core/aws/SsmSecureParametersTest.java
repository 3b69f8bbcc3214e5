package shop.core.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import shop.core.config.Env;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The Stripe secrets' read, against moto's SSM (the local stack has no SSM stand-in: locally the
 * functions get the secrets as variables). moto_server is started here on a free port and
 * stopped by its own process handle.
 */
class SsmSecureParametersTest {
    private static Process moto;
    private static SsmClient ssm;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path log = Files.createTempFile("moto-ssm", ".log");
        moto = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitPort(port);
        ssm = new AwsClients(Env.of(Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "test", "AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:" + port))).ssm();
    }

    @AfterAll
    static void stop() {
        if (ssm != null) {
            ssm.close();
        }
        if (moto != null) {
            moto.destroy();
        }
    }

    @Test
    void readsASecureStringDecrypted() {
        ssm.putParameter(b -> b.name("/shop/test/stripe-secret-key").type(ParameterType.SECURE_STRING)
                .value("sk_test_from_ssm").overwrite(true));

        assertEquals("sk_test_from_ssm", new SsmSecureParameters(ssm).apply("/shop/test/stripe-secret-key"));
    }

    @Test
    void aMissingParameterIsAnErrorNotAnEmptySecret() {
        assertThrows(ParameterNotFoundException.class, () -> new SsmSecureParameters(ssm).apply("/shop/test/missing"));
    }

    @Test
    void primingReadsNothing() {
        // Were the priming call sent, moto would answer ParameterNotFound and prime() would throw it.
        new SsmSecureParameters(ssm).prime();
    }

    private static void awaitPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("moto_server did not start on port " + port);
    }
}
