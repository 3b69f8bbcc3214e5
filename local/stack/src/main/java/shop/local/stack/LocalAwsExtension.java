package shop.local.stack;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link LocalAws} (from the nearest template.yaml) for the whole test run and
 * hands it, or its {@link Mailbox}, to test constructors and methods:
 * <pre>
 * &#64;ExtendWith(LocalAwsExtension.class)
 * class SubscribeTest {
 *     &#64;Test void sendsConfirmation(LocalAws aws, Mailbox mailbox) { ... }
 * }
 * </pre>
 * It lives in the root context's store, which JUnit closes (as an AutoCloseable) when the run
 * ends; the store creates it at most once even when test classes run concurrently.
 */
public final class LocalAwsExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.GLOBAL;

    @Override
    public void beforeAll(ExtensionContext context) {
        localAws(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalAws.class || type == Mailbox.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        LocalAws aws = localAws(context);
        return parameter.getParameter().getType() == Mailbox.class ? aws.mailbox() : aws;
    }

    /** The run's LocalAws, started on first use. */
    public static LocalAws localAws(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(LocalAws.class, type -> LocalAws.start(), LocalAws.class);
    }
}
