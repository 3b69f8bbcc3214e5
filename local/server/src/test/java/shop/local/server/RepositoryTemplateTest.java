package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import shop.local.stack.CfnTemplate;

/** The local server can run every function of template.yaml: its module is a dependency here. */
class RepositoryTemplateTest {

    @Test
    void everyHandlerOfTemplateYamlLoadsWithAnEnvironmentConstructor() throws Exception {
        CfnTemplate template = CfnTemplate.load();
        assertFalse(template.functions().isEmpty());
        for (CfnTemplate.Function function : template.functions().values()) {
            String className = function.handler().split("::")[0];
            Class<?> handler = Class.forName(className); // fails: add the function's module to local/server/pom.xml
            boolean takesEnvironment = Arrays.stream(handler.getConstructors())
                    .anyMatch(c -> c.getParameterCount() == 1 && c.getParameterTypes()[0] == Map.class);
            assertTrue(takesEnvironment, className + " needs a public constructor taking Map<String, String> "
                    + "so that the local server can pass it the local environment");
        }
    }

    @Test
    void everyRouteOfTemplateYamlIsServedOnce() {
        Routes routes = Routes.from(CfnTemplate.load()); // throws when two functions claim one route
        assertFalse(routes.all().isEmpty());
    }
}
