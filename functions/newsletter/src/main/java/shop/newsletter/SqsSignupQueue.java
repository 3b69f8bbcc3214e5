package shop.newsletter;

import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The signup queue of template.yaml (NewsletterSignupQueue): one SendMessage a signup. */
final class SqsSignupQueue implements SignupQueue {
    private final SqsClient sqs;
    private final String queueUrl;

    SqsSignupQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void enqueue(PendingSignup signup) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(signup.toJson()));
    }

    /** A SendMessage through the whole client with {@code override} (Priming.unsent stops it before it is sent). */
    void prime(AwsRequestOverrideConfiguration override) {
        sqs.sendMessage(b -> b.overrideConfiguration(override).queueUrl(queueUrl).messageBody("{}"));
    }
}
