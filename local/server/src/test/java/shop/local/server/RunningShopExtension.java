package shop.local.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import shop.local.stack.FaultProxy;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.Service;

/**
 * Starts the shop ({@link RunningShop}: template.yaml's functions behind the local API server,
 * with the SQS pollers) once per test class as the class's {@link ShopEnvironment} says, before
 * the class's {@code @BeforeAll} methods run, and closes it after its {@code @AfterAll} methods.
 * It sets the class's {@link ShopFixture} static fields and resolves parameters of those types
 * ({@link RunningShop}, {@link ShopClient}, {@link PrivacyClient}, {@link LocalFunctions},
 * {@link LocalAws}, and the {@link FaultProxy} of {@link ShopEnvironment#faultProxy()}):
 * <pre>
 * &#64;ExtendWith(RunningShopExtension.class)
 * &#64;ShopEnvironment(freshSourceIpLimits = true)
 * class SignupEndToEndTest {
 *     &#64;ShopFixture private static ShopClient shop;
 *
 *     &#64;Test void confirms() { ... shop.piece(1) ... }
 * }
 * </pre>
 * It takes the place of {@link LocalAwsExtension}, whose one LocalAws of the run it uses (both
 * would resolve a {@code LocalAws} parameter). A class whose shop differs otherwise (no pollers, a
 * fixture template) starts its own.
 */
final class RunningShopExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    /** In a {@link ShopEnvironment#parameters()} value: the class's API server, {@code http://localhost:<port>}. */
    static final String ORIGIN = "{origin}";

    private static final List<Class<?>> FIXTURES = List.of(RunningShop.class, ShopClient.class, PrivacyClient.class,
            LocalFunctions.class, LocalAws.class, FaultProxy.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RunningShopExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        LocalAws aws = LocalAwsExtension.localAws(context);
        ShopEnvironment environment = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), ShopEnvironment.class)
                .orElse(Defaults.class.getAnnotation(ShopEnvironment.class));
        if (environment.freshSourceIpLimits()) {
            SourceIpLimits.startFresh(aws);
        }
        int port = Arrays.stream(environment.parameters()).anyMatch(p -> p.contains(ORIGIN)) ? freePort() : 0;
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String parameter : environment.parameters()) {
            int equals = parameter.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("@ShopEnvironment parameters are Name=value, not " + parameter);
            }
            parameters.put(parameter.substring(0, equals),
                    parameter.substring(equals + 1).replace(ORIGIN, "http://localhost:" + port));
        }
        Map<String, String> endpoints = new LinkedHashMap<>();
        if (environment.faultProxy().length > 1) {
            throw new IllegalArgumentException("@ShopEnvironment puts one stand-in behind a FaultProxy, not "
                    + Arrays.toString(environment.faultProxy()));
        }
        for (Service service : environment.faultProxy()) {
            FaultProxy proxy = FaultProxy.start(aws.endpoint(service));
            context.getStore(NAMESPACE).put(FaultProxy.class, proxy);
            endpoints.put(service.endpointVariable(), proxy.uri().toString());
        }
        LocalFunctions functions = new LocalFunctions(aws, aws.template(), parameters, endpoints, environment.instances());
        RunningShop running = RunningShop.start(functions, port);
        context.getStore(NAMESPACE).put(RunningShop.class, running);
        for (Field field : AnnotationSupport.findAnnotatedFields(context.getRequiredTestClass(), ShopFixture.class,
                field -> Modifier.isStatic(field.getModifiers()))) {
            set(field, fixture(field.getType(), context));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        RunningShop running = context.getStore(NAMESPACE).remove(RunningShop.class, RunningShop.class);
        FaultProxy proxy = context.getStore(NAMESPACE).remove(FaultProxy.class, FaultProxy.class);
        try {
            if (running != null) {
                running.close();
            }
        } finally {
            if (proxy != null) {
                proxy.close();
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return FIXTURES.contains(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return fixture(parameter.getParameter().getType(), context);
    }

    private static Object fixture(Class<?> type, ExtensionContext context) {
        RunningShop running = context.getStore(NAMESPACE).get(RunningShop.class, RunningShop.class);
        if (type == FaultProxy.class) {
            FaultProxy proxy = context.getStore(NAMESPACE).get(FaultProxy.class, FaultProxy.class);
            if (proxy == null) {
                throw new IllegalArgumentException("The running shop has no FaultProxy: name its stand-in in"
                        + " @ShopEnvironment(faultProxy = ...)");
            }
            return proxy;
        } else if (type == RunningShop.class) {
            return running;
        } else if (type == ShopClient.class) {
            return running.shop();
        } else if (type == PrivacyClient.class) {
            return running.person();
        } else if (type == LocalFunctions.class) {
            return running.functions();
        } else if (type == LocalAws.class) {
            return running.functions().aws();
        }
        throw new IllegalArgumentException("The running shop has no " + type.getSimpleName() + "; it has " + FIXTURES);
    }

    private static void set(Field field, Object value) {
        try {
            field.setAccessible(true);
            field.set(null, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot set @ShopFixture " + field, e);
        }
    }

    /** The environment of a class without {@link ShopEnvironment}. */
    @ShopEnvironment
    private static final class Defaults {
    }

    /** A port free now, for a server that must know its own address before it listens. */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
