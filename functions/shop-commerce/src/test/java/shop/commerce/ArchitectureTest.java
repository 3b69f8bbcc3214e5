package shop.commerce;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("shop.commerce");

    @Test
    void theCommerceLibraryNeverTalksToStripe() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("com.stripe..").check(classes);
    }

    /** Adapters are named after what they talk to: DynamoXxx, SqsOrderEvents. */
    @Test
    void domainAndUseCasesStayFreeOfAws() {
        noClasses().that().haveSimpleNameNotStartingWith("Dynamo").and().haveSimpleNameNotStartingWith("Sqs")
                .and().haveSimpleNameNotEndingWith("Import")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..")
                .check(classes);
    }
}
