package shop.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntrinsicResolverTest {

    private final CfnTemplate template = Fixtures.fixtureTemplate();
    private final Map<String, Object> env = template.function("FixtureWorkerFunction").environment();
    private final IntrinsicResolver resolver = IntrinsicResolver.local(template, Map.of());

    private String resolved(String variable) {
        return resolver.resolveString(env.get(variable));
    }

    @Test
    void refsResolveToParametersAndLocalPhysicalNames() {
        assertEquals("FixtureOrdersTable", resolved("TABLE"));
        assertEquals("fixturereceiptsbucket", resolved("BUCKET"), "bucket names are lowercased, as S3 requires");
        assertEquals("a/test/30", resolved("JOINED"), "template Defaults, numbers included");
    }

    @Test
    void getAttGivesPlausibleArnsAndQueueAttributes() {
        assertEquals("arn:aws:dynamodb:us-east-1:000000000000:table/FixtureOrdersTable", resolved("TABLE_ARN"));
        assertEquals("arn:aws:s3:::fixturereceiptsbucket", resolved("BUCKET_ARN"));
        assertEquals("arn:aws:sqs:us-east-1:000000000000:FixtureJobsQueue", resolved("QUEUE_ARN"));
        assertEquals("FixtureJobsQueue", resolved("QUEUE_NAME"));
        assertEquals("https://sqs.us-east-1.amazonaws.com/000000000000/FixtureJobsQueue", resolved("QUEUE_URL"));
    }

    @Test
    void subReplacesParametersPseudoParametersAttributesAndItsOwnVariables() {
        assertEquals("arn:aws:ses:us-east-1:000000000000:identity/shop@localhost.test", resolved("SENDER_IDENTITY"));
        assertEquals("localhost.test/test", resolved("SENDER_DOMAIN"), "Fn::Sub with a variable map, Select and Split");
        assertEquals("arn:aws:sqs:us-east-1:000000000000:FixtureJobsQueue", resolved("QUEUE_ARN_SUB"));
        assertEquals("${NotAVariable} amazonaws.com", resolved("LITERAL"));
    }

    @Test
    void conditionsMappingsAndTheRest() {
        assertEquals("test-mode", resolved("MODE"));
        assertEquals("live-mode", resolved("NOT_MODE"));
        assertEquals("not-both", resolved("AND_MODE"));
        assertEquals("either", resolved("OR_MODE"));
        assertEquals("aGVsbG8=", resolved("ENCODED"));
        assertEquals("52", resolved("RING_SIZE"));
        assertEquals("us-east-1a", resolved("FIRST_ZONE"));
    }

    @Test
    void overridesWinOverLocalDefaultsAndTemplateDefaults() {
        IntrinsicResolver live = IntrinsicResolver.local(template,
                Map.of("SenderAddress", "orders@shop.example", "Stage", "prod"));
        assertEquals("shop.example/prod", live.resolveString(env.get("SENDER_DOMAIN")));
        assertEquals("live-mode", live.resolveString(env.get("MODE")));
    }

    @Test
    void aParameterWithoutAnyValueIsAnErrorNamingIt() {
        Exception e = assertThrows(IntrinsicResolver.ResolutionException.class,
                () -> resolver.resolve(template.outputs().get("UnsetValue")));
        assertTrue(e.getMessage().contains("Unset"), e.getMessage());
    }

    @Test
    void unsupportedIntrinsicsAndAttributesFailWithTheirName() {
        Exception imported = assertThrows(IntrinsicResolver.ResolutionException.class,
                () -> resolver.resolve(template.outputs().get("Imported")));
        assertTrue(imported.getMessage().contains("Fn::ImportValue is not supported"), imported.getMessage());

        Exception attribute = assertThrows(IntrinsicResolver.ResolutionException.class,
                () -> resolver.resolve(template.outputs().get("MissingAttribute")));
        assertTrue(attribute.getMessage().contains("FixtureOrdersTable.StreamArn"), attribute.getMessage());

        Exception dangling = assertThrows(IntrinsicResolver.ResolutionException.class, () -> resolver.resolve(Map.of("Ref", "Nowhere")));
        assertTrue(dangling.getMessage().contains("Ref to Nowhere"), dangling.getMessage());
    }

    @Test
    void noValueRemovesTheEntry() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("Kept", "yes");
        properties.put("Dropped", Map.of("Ref", "AWS::NoValue"));
        properties.put("List", List.of("a", Map.of("Ref", "AWS::NoValue")));
        assertEquals(Map.of("Kept", "yes", "List", List.of("a")), resolver.resolve(properties));
        assertNull(resolver.resolve(Map.of("Ref", "AWS::NoValue")));
        assertEquals(Map.of("Value", ""), resolver.resolve(template.outputs().get("Tagged")),
                "Join over an empty list of notification ARNs");
    }
}
