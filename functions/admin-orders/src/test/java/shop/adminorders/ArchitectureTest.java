package shop.adminorders;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    @Test
    void onlyTheHandlerTheWiringAndTheAdaptersKnowAwsOrLambda() {
        noClasses().that().haveSimpleNameNotEndingWith("Handler")
                .and().haveSimpleNameNotEndingWith("Dependencies")
                .and().haveSimpleNameNotStartingWith("Dynamo")
                .and().haveSimpleNameNotStartingWith("Sqs")
                .and().haveSimpleNameNotStartingWith("S3")
                .and().haveSimpleNameNotStartingWith("Cognito")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..", "com.stripe..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("shop.adminorders"));
    }
}
