package shop.bench;

import java.util.List;

/**
 * AWS list prices in USD, us-east-1, as of {@link #AS_OF}, without free tiers or savings plans.
 * The pricing pages render their numbers client-side, so the stored copies the bench's author
 * could search showed few of them; where a number is not quoted from a source the note says so.
 */
final class Prices {
    static final String AS_OF = "2026-11-25";

    /** Lambda, Arm (arm64), per GB-second of billed duration (1 ms granularity). */
    static final double LAMBDA_ARM_GB_SECOND = 0.0000133334;
    /** Lambda, per request. */
    static final double LAMBDA_REQUEST = 0.20 / 1_000_000;
    /** DynamoDB on-demand, per write request unit (1 KB). */
    static final double DYNAMODB_WRITE_UNIT = 0.625 / 1_000_000;
    /** DynamoDB on-demand, per read request unit (4 KB strongly consistent, or two eventually consistent). */
    static final double DYNAMODB_READ_UNIT = 0.125 / 1_000_000;
    /** SQS standard queue, per request (64 KB chunk). */
    static final double SQS_REQUEST = 0.40 / 1_000_000;
    /** SES outbound, à la carte, per recipient. */
    static final double SES_RECIPIENT = 0.10 / 1_000;
    /** SES outbound on the Essentials plan that new accounts get by default since 2026-07-21, per message. */
    static final double SES_ESSENTIALS_MESSAGE = 0.16 / 1_000;
    /** S3 Standard, per PUT, COPY, POST or LIST request. */
    static final double S3_WRITE_REQUEST = 0.005 / 1_000;
    /** S3 Standard, per GET or other read request (DELETE is free). */
    static final double S3_READ_REQUEST = 0.0004 / 1_000;
    /** API Gateway HTTP API, per request (first 300 million a month). */
    static final double HTTP_API_REQUEST = 1.00 / 1_000_000;

    /**
     * Requests the SQS event source mapping makes per message it hands to a function at low
     * traffic (one ReceiveMessage, one DeleteMessageBatch); its idle long polling is a fixed
     * monthly cost, not a per-order one.
     */
    static final int ESM_REQUESTS_PER_MESSAGE = 2;

    record Price(String what, double usd, String unit, String source) {
    }

    static final List<Price> ALL = List.of(
            new Price("Lambda Arm duration", LAMBDA_ARM_GB_SECOND, "GB-second",
                    "https://aws.amazon.com/lambda/pricing/ (agrees with the price table of artillery 2.0.28)"),
            new Price("Lambda requests", LAMBDA_REQUEST * 1e6, "million requests",
                    "https://aws.amazon.com/lambda/pricing/"),
            new Price("DynamoDB on-demand writes", DYNAMODB_WRITE_UNIT * 1e6, "million write request units",
                    "https://aws.amazon.com/dynamodb/pricing/on-demand/ (price since 2024-11-01; number not in the stored page)"),
            new Price("DynamoDB on-demand reads", DYNAMODB_READ_UNIT * 1e6, "million read request units",
                    "https://aws.amazon.com/dynamodb/pricing/on-demand/ (price since 2024-11-01; number not in the stored page)"),
            new Price("SQS standard requests", SQS_REQUEST * 1e6, "million requests",
                    "https://aws.amazon.com/sqs/pricing/ (widely published; number not in the stored page)"),
            new Price("SES outbound, à la carte", SES_RECIPIENT * 1e3, "1,000 recipients",
                    "https://aws.amazon.com/ses/pricing/ (AWS Price List API, AmazonSES us-east-1, 2026-07-22)"),
            new Price("SES outbound, Essentials plan (not used in the totals)", SES_ESSENTIALS_MESSAGE * 1e3,
                    "1,000 messages", "https://aws.amazon.com/ses/pricing/ (AWS Price List API, 2026-07-22)"),
            new Price("S3 Standard PUT, COPY, POST, LIST", S3_WRITE_REQUEST * 1e3, "1,000 requests",
                    "https://aws.amazon.com/s3/pricing/ (widely published; number not in the stored page)"),
            new Price("S3 Standard GET and other reads", S3_READ_REQUEST * 1e3, "1,000 requests",
                    "https://aws.amazon.com/s3/pricing/ (widely published; number not in the stored page)"),
            new Price("API Gateway HTTP API", HTTP_API_REQUEST * 1e6, "million requests",
                    "https://aws.amazon.com/api-gateway/pricing/ (its worked example)"));

    private Prices() {
    }
}
