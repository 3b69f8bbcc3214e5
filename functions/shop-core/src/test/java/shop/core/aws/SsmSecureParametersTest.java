package shop.core.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.config.Env;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.Service;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The Stripe secrets' read, against the local stack's SSM (moto). Locally the functions get the
 * secrets as variables; on AWS they read them from SSM through this adapter.
 */
@ExtendWith(LocalAwsExtension.class)
class SsmSecureParametersTest {
    private static SsmClient ssm;

    @BeforeAll
    static void start(LocalAws aws) {
        ssm = new AwsClients(Env.of(Map.of("AWS_REGION", aws.region(), "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "test", "AWS_ENDPOINT_URL_SSM", aws.endpoint(Service.SSM).toString()))).ssm();
    }

    @AfterAll
    static void stop() {
        if (ssm != null) {
            ssm.close();
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
}
