package shop.admin.accounts;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    /** The service and its port know neither AWS nor Lambda; the Cognito adapter, the handler and the wiring do. */
    @Test
    void theServiceAndItsPortsKnowNoAwsOrLambda() {
        noClasses().that().haveSimpleNameNotEndingWith("Handler")
                .and().haveSimpleNameNotEndingWith("Dependencies")
                .and().haveSimpleNameNotStartingWith("Cognito")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..", "com.stripe..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("shop.admin.accounts"));
    }
}
