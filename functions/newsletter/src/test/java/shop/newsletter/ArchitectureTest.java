package shop.newsletter;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Only the edges (the handler, the adapters, the wiring) may know AWS, Lambda or Stripe. */
class ArchitectureTest {
    private static final String[] CLOUD = {"software.amazon..", "com.amazonaws..", "com.stripe.."};

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("shop.newsletter", "shop.core");

    @Test
    void theNewsletterDomainAndServiceKnowNoCloud() {
        noClasses().that().resideInAPackage("shop.newsletter..")
                .and().haveSimpleNameNotEndingWith("Handler")
                .and().haveSimpleNameNotStartingWith("Dynamo")
                .and().haveSimpleNameNotStartingWith("Sqs")
                .and().haveSimpleNameNotEndingWith("Dependencies")
                .should().dependOnClassesThat().resideInAnyPackage(CLOUD)
                .check(classes);
    }

    @Test
    void theSharedDomainPackagesKnowNoCloud() {
        noClasses().that().resideInAnyPackage("shop.core.errors..", "shop.core.retention..", "shop.core.email..",
                        "shop.core.security..", "shop.core.privacy..", "shop.core.html..", "shop.core.config..")
                .should().dependOnClassesThat().resideInAnyPackage(CLOUD)
                .check(classes);
    }
}
