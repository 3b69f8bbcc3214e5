package shop.local.server;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A static field of a test class that {@link RunningShopExtension} sets once it has started the
 * class's shop, before the class's {@code @BeforeAll} methods run: a {@link RunningShop}, its
 * {@link ShopClient} or {@link PrivacyClient}, or the run's {@link shop.local.stack.LocalAws}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
@interface ShopFixture {
}
