package shop.visits;

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
            .importPackages("shop.visits");

    @Test
    void theVisitsDomainAndServicesKnowNoCloud() {
        noClasses().that().resideInAPackage("shop.visits..")
                .and().haveSimpleNameNotEndingWith("Handler")
                .and().haveSimpleNameNotStartingWith("Dynamo")
                .and().haveSimpleNameNotEndingWith("Dependencies")
                .and().haveSimpleNameNotStartingWith("Uap")
                .and().haveSimpleNameNotEndingWith("Command")
                .should().dependOnClassesThat().resideInAnyPackage(CLOUD)
                .check(classes);
    }
}
