package shop.admincatalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import shop.local.stack.CfnTemplate;

/**
 * The function's role in template.yaml grants what its adapters call and nothing more: the
 * products (read, Scan for the list, Update in each change's transaction), the trail (a line's Put
 * in that transaction; the catalog never reads the trail, its priming Query is never sent) and
 * new photos' PutObject, which the presigned links are signed for.
 */
class AdminCatalogPermissionsTest {

    @Test
    void theRoleGrantsWhatTheAdaptersCallAndTheTrailOnlyItsPut() {
        Object policies = CfnTemplate.load().resource("AdminCatalogFunction").orElseThrow().properties().get("Policies");
        Map<String, List<Object>> granted = new TreeMap<>();
        for (Object policy : (List<?>) policies) {
            for (Object statement : (List<?>) ((Map<?, ?>) policy).get("Statement")) {
                Map<?, ?> s = (Map<?, ?>) statement;
                Object actions = s.get("Action");
                granted.put(String.valueOf(s.get("Resource")),
                        actions instanceof List<?> list ? List.copyOf(list) : List.of(actions));
            }
        }
        assertEquals(Map.of(
                "{Fn::GetAtt=[ProductsTable, Arn]}", List.of("dynamodb:GetItem", "dynamodb:Scan", "dynamodb:UpdateItem"),
                "{Fn::GetAtt=[AdminAuditTable, Arn]}", List.of("dynamodb:PutItem"),
                "{Fn::Sub=${ImagesBucket.Arn}/products/*}", List.of("s3:PutObject")), granted);
    }
}
