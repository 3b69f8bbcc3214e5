package shop.local.stack;

/** The AWS APIs the local stack stands in for; {@code envSuffix} names the SDK's endpoint variable. */
public enum Service {
    DYNAMODB("DYNAMODB"),
    S3("S3"),
    SESV2("SESV2"),
    SQS("SQS"),
    COGNITO_IDP("COGNITO_IDENTITY_PROVIDER"),
    SSM("SSM");

    private final String envSuffix;

    Service(String envSuffix) {
        this.envSuffix = envSuffix;
    }

    /** The variable that points SDK v2 clients of this service at an endpoint, e.g. AWS_ENDPOINT_URL_S3. */
    public String endpointVariable() {
        return "AWS_ENDPOINT_URL_" + envSuffix;
    }
}
