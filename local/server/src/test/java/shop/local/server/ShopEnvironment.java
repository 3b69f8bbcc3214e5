package shop.local.server;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import shop.local.stack.FaultProxy;
import shop.local.stack.Service;

/**
 * How {@link RunningShopExtension} starts the shop of a test class. Without it: the template's
 * local parameters, the source-IP counters as the previous class left them, one instance per
 * function, every stand-in reached directly.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface ShopEnvironment {
    /**
     * Template parameters overridden, each {@code "Name=value"}. {@value RunningShopExtension#ORIGIN}
     * in a value stands for the class's API server, {@code http://localhost:<port>} (for
     * StorefrontOrigin or ImagesBaseUrl, which must name the port the server will listen on).
     */
    String[] parameters() default {};

    /** Forget the per-IP counters first ({@link SourceIpLimits#startFresh}): for a class that signs people up or files requests. */
    boolean freshSourceIpLimits() default false;

    /**
     * The stand-in (at most one) the functions reach through a {@link FaultProxy},
     * for the class to inject faults into: a static {@link ShopFixture} field of that type. None by default.
     */
    Service[] faultProxy() default {};

    /** How many instances of one function may run at once ({@link LocalFunctions}' maxInstances): more than one for races. */
    int instances() default 1;
}
