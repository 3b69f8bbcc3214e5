package shop.core.aws;

import java.io.IOException;
import java.util.Optional;
import shop.core.dynamo.DynamoTransactions;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.TransactionInProgressException;

/**
 * Tells an AWS failure that will pass (throttling, a service answering 5xx, no answer at all)
 * from one that will not (a validation error, a missing permission, a bug), from the exceptions
 * of the generated SDK clients. Only the first kind may tell a caller "try again shortly"; the
 * SDK has already retried it with backoff by the time it gets here.
 */
public final class AwsFailures {
    private AwsFailures() {
    }

    /** The temporary AWS failure in {@code error} or its causes: a short name of what failed, for logs. */
    public static Optional<String> temporary(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            Optional<String> found = temporaryItself(e);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /**
     * A write that met another transaction on the same item, and nothing else: a single-item
     * write refused with TransactionConflictException, or a transaction cancelled by a
     * TransactionConflict with none of its conditions failing. Nothing was written; DynamoDB's
     * answer is to try again.
     */
    public static boolean transactionConflict(Throwable e) {
        if (e instanceof TransactionConflictException) {
            return true;
        }
        return e instanceof TransactionCanceledException cancelled && cancelled.hasCancellationReasons()
                && DynamoTransactions.conditionFailures(cancelled).isEmpty()
                && cancelled.cancellationReasons().stream().anyMatch(reason -> "TransactionConflict".equals(reason.code()));
    }

    private static Optional<String> temporaryItself(Throwable e) {
        if (transactionConflict(e)) {
            return Optional.of(e.getClass().getSimpleName());
        }
        // A transaction cancelled by throttling, not by one of its conditions: nothing was
        // written, and trying again will do.
        if (e instanceof TransactionCanceledException cancelled) {
            return DynamoTransactions.conditionFailures(cancelled).isEmpty()
                    ? Optional.of("TransactionCanceledException") : Optional.empty();
        }
        if (e instanceof TransactionInProgressException) {
            return Optional.of("TransactionInProgressException");
        }
        if (e instanceof SdkServiceException service) {
            if (!service.isThrottlingException() && service.statusCode() < 500) {
                return Optional.empty();
            }
            String code = e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                    ? aws.awsErrorDetails().errorCode() : null;
            return Optional.of(code == null ? "HTTP" + service.statusCode() : code);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return Optional.of(e.getClass().getSimpleName());
        }
        if (e instanceof RetryableException) {
            return Optional.of("retryable");
        }
        if (e instanceof SdkClientException && hasIoCause(e)) {
            return Optional.of("no answer");
        }
        return Optional.empty();
    }

    private static boolean hasIoCause(Throwable e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
