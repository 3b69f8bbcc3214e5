package shop.admincatalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import shop.local.stack.CfnTemplate;

/** What template.yaml gives the catalog: its function's role, and the images bucket the admin page uploads to. */
class AdminCatalogTemplateTest {

    /**
     * The role grants what the adapters call and nothing more: the products (read, Scan for the
     * list, Update in each change's transaction), the trail (a line's Put in that transaction; the
     * catalog never reads the trail, its priming Query is never sent) and new photos' PutObject,
     * which the presigned links are signed for.
     */
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

    /**
     * The admin page PUTs a photo straight to the bucket from wherever it is served: the storefront's
     * origin, or AdminOrigin when the owner hosts the page elsewhere (the API allows that origin
     * too). The bucket allowing only the storefront's made every upload from such a page fail.
     */
    @Test
    void theImagesBucketTakesUploadsFromEveryOriginTheApiServesTheAdminPage() {
        CfnTemplate template = CfnTemplate.load();
        Map<?, ?> cors = (Map<?, ?>) template.resource("ImagesBucket").orElseThrow().properties().get("CorsConfiguration");
        Map<?, ?> rule = (Map<?, ?>) ((List<?>) cors.get("CorsRules")).get(0);
        Map<?, ?> api = (Map<?, ?>) template.resource("HttpApi").orElseThrow().properties().get("CorsConfiguration");
        assertEquals(api.get("AllowOrigins"), rule.get("AllowedOrigins"));
        assertEquals(List.of("PUT"), rule.get("AllowedMethods"));
    }
}
