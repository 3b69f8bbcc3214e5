package shop.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CfnTemplateTest {

    private final CfnTemplate template = Fixtures.fixtureTemplate();
    private final Map<String, Object> env = template.function("FixtureWorkerFunction").environment();

    @Test
    void keepsShortFormTagsAsLongFormIntrinsics() {
        assertEquals(Map.of("Ref", "FixtureOrdersTable"), env.get("TABLE"));
        assertEquals(Map.of("Fn::GetAtt", List.of("FixtureOrdersTable", "Arn")), env.get("TABLE_ARN"));
        assertEquals(env.get("TABLE_ARN_LONG"), env.get("TABLE_ARN"), "short and long GetAtt read alike");
        assertEquals(Map.of("Fn::Sub", "${!NotAVariable} ${AWS::URLSuffix}"), env.get("LITERAL"));
        assertEquals(Map.of("Fn::Base64", "hello"), env.get("ENCODED"));
        assertEquals(Map.of("Fn::If", List.of("IsTest", "test-mode", "live-mode")), env.get("MODE"));
        assertEquals(Map.of("Fn::FindInMap", List.of("Sizes", Map.of("Ref", "Stage"), "Ring")), env.get("RING_SIZE"));
        assertEquals(Map.of("Fn::Select", List.of(0, Map.of("Fn::GetAZs", ""))), env.get("FIRST_ZONE"));
        assertEquals(Map.of("Fn::Join", List.of("/", List.of("a", Map.of("Ref", "Stage"), Map.of("Ref", "RetentionDays")))),
                env.get("JOINED"));
    }

    @Test
    void nestsTagsInsideSequencesAndMappings() {
        Map<String, Object> select = Map.of("Fn::Select",
                List.of(1, Map.of("Fn::Split", List.of("@", Map.of("Ref", "SenderAddress")))));
        assertEquals(Map.of("Fn::Sub", List.of("${Domain}/${Stage}", Map.of("Domain", select))), env.get("SENDER_DOMAIN"));
        assertEquals(Map.of("Fn::Equals", List.of(Map.of("Ref", "Stage"), "test")), template.conditions().get("IsTest"));
        assertEquals(Map.of("Fn::Not", List.of(Map.of("Condition", "IsTest"))), template.conditions().get("IsNotTest"));
        assertEquals(Map.of("Fn::And", List.of(Map.of("Condition", "IsTest"), Map.of("Condition", "IsNotTest"))),
                template.conditions().get("TestAndNotTest"));
        assertEquals(Map.of("Fn::Or", List.of(Map.of("Condition", "IsTest"), Map.of("Condition", "IsNotTest"))),
                template.conditions().get("TestOrNotTest"));
        assertEquals(Map.of("Value", Map.of("Fn::ImportValue", "shared-network-id")), template.outputs().get("Imported"));
    }

    @Test
    void readsParametersWithTheirDefaults() {
        Map<String, CfnTemplate.Parameter> parameters = template.parameters();
        assertEquals(Optional.of("test"), parameters.get("Stage").defaultValue());
        assertEquals(Optional.of("30"), parameters.get("RetentionDays").defaultValue());
        assertEquals("Number", parameters.get("RetentionDays").type());
        assertEquals(Optional.empty(), parameters.get("StorefrontOrigin").defaultValue());
    }

    @Test
    void readsResourcesByLogicalIdAndType() {
        assertEquals(List.of("FixtureJobsQueue", "FixtureJobsDeadLetterQueue"),
                template.resourcesOfType(CfnTemplate.QUEUE).stream().map(CfnTemplate.Resource::logicalId).toList());
        assertEquals(CfnTemplate.TABLE, template.resource("FixtureOrdersTable").orElseThrow().type());
        assertEquals(CfnTemplate.SIMPLE_TABLE, template.resources().get("FixtureSettingsTable").type());
        assertTrue(template.resource("NoSuchThing").isEmpty());
    }

    @Test
    void mergesGlobalsIntoFunctions() {
        CfnTemplate.Function worker = template.function("FixtureWorkerFunction");
        assertEquals("shop.worker.WorkerHandler::handleRequest", worker.handler());
        assertEquals("functions/worker/target/worker.jar", worker.codeUri());
        assertEquals(30, worker.timeoutSeconds(), "the function's own Timeout wins");
        assertEquals(512, worker.memorySize(), "MemorySize comes from Globals");
        assertEquals("global", env.get("FROM_GLOBALS"));
        assertEquals("function", env.get("OVERRIDDEN"));
        assertTrue(env.containsKey("JAVA_TOOL_OPTIONS"), "the template reader keeps everything");
    }

    @Test
    void readsHttpApiSqsAndEnabledScheduleEvents() {
        CfnTemplate.Function worker = template.function("FixtureWorkerFunction");
        assertEquals(List.of(new CfnTemplate.HttpApiEvent("CreateJob", "POST", "/jobs/{id}")), worker.httpApiEvents());
        assertEquals("POST /jobs/{id}", worker.httpApiEvents().get(0).routeKey());
        assertEquals(List.of(new CfnTemplate.SqsEvent("Jobs", Map.of("Fn::GetAtt", List.of("FixtureJobsQueue", "Arn")), 5, true)),
                worker.sqsEvents());
        assertEquals(List.of(new CfnTemplate.ScheduleEvent("Nightly", "rate(1 day)"),
                new CfnTemplate.ScheduleEvent("Hourly", "cron(5 * * * ? *)")), worker.scheduleEvents(), "a disabled one is left out");
    }

    @Test
    void readsTheHttpApiCorsConfiguration() {
        Map<String, Object> cors = CfnTemplate.map(template.httpApiCorsConfiguration().orElseThrow());
        assertEquals(List.of(Map.of("Ref", "StorefrontOrigin")), cors.get("AllowOrigins"));
        assertEquals(List.of("GET", "POST"), cors.get("AllowMethods"));
        assertEquals(600, cors.get("MaxAge"));
    }

    @Test
    void findsTheRepositoryTemplateFromAModuleDirectory() {
        var file = CfnTemplate.locate();
        assertEquals("template.yaml", file.getFileName().toString());
        assertTrue(Files.isDirectory(file.getParent().resolve("local/stack")), "found " + file);
        assertFalse(CfnTemplate.load(file).functions().isEmpty(), "the repository's template has functions");
    }
}
