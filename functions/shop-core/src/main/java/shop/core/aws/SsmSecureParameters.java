package shop.core.aws;

import java.util.function.UnaryOperator;
import shop.core.snapstart.Priming;
import software.amazon.awssdk.services.ssm.SsmClient;

/** SecureString parameters of SSM Parameter Store, read and decrypted by name: one GetParameter each. */
public final class SsmSecureParameters implements UnaryOperator<String> {
    private final SsmClient ssm;

    public SsmSecureParameters(SsmClient ssm) {
        this.ssm = ssm;
    }

    @Override
    public String apply(String name) {
        return ssm.getParameter(b -> b.name(name).withDecryption(true)).parameter().value();
    }

    /**
     * A GetParameter through the whole client, stopped before it is sent: secrets are read on
     * first use, never into the SnapStart snapshot.
     */
    public void prime() {
        Priming.unsent(override -> ssm.getParameter(b -> b.name("priming-never-read").withDecryption(true)
                .overrideConfiguration(override)));
    }
}
