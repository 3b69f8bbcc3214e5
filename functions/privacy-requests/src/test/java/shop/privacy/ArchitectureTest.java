package shop.privacy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Only the edges (handlers, adapters, wiring) may know AWS, Lambda or Stripe. */
class ArchitectureTest {
    private static final String[] CLOUD = {"software.amazon..", "com.amazonaws..", "com.stripe.."};

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("shop.privacy");

    @Test
    void servicesPortsAndRecordsKnowNoCloud() {
        noClasses().that().resideInAPackage("shop.privacy..")
                .and().resideOutsideOfPackage("shop.privacy.stores..")
                .and().haveSimpleNameNotEndingWith("Handler")
                .and().haveSimpleNameNotEndingWith("Dependencies")
                .should().dependOnClassesThat().resideInAnyPackage(CLOUD)
                .check(classes);
    }

    /** Empty today (every class there is an adapter); it stops a helper from taking the SDK in unnoticed. */
    @Test
    void adaptersAreNamedAfterWhatTheyTalkTo() {
        noClasses().that().resideInAPackage("shop.privacy.stores..")
                .and().haveNameNotMatching("shop\\.privacy\\.stores\\.(Dynamo|S3|Stripe).*")
                .should().dependOnClassesThat().resideInAnyPackage(CLOUD)
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void theServicesDoNotReachIntoTheAdapters() {
        noClasses().that().resideInAPackage("shop.privacy..")
                .and().resideOutsideOfPackage("shop.privacy.stores..")
                .and().haveSimpleNameNotEndingWith("Dependencies")
                .should().dependOnClassesThat().resideInAPackage("shop.privacy.stores..")
                .check(classes);
    }
}
