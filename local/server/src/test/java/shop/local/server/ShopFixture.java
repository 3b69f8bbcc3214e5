package shop.local.server;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A static field of a test class that {@link RunningShopExtension} sets once it has started the
 * class's shop, before the class's {@code @BeforeAll} methods run: a {@link RunningShop}, its
 * {@link ShopClient} or {@link PrivacyClient}, the run's {@link shop.local.stack.LocalAws}, or the
 * {@link shop.local.stack.FaultProxy} of {@link ShopEnvironment#faultProxy()}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
@interface ShopFixture {
}
