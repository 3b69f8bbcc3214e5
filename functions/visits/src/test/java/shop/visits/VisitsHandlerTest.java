package shop.visits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.config.Env;
import shop.core.json.Json;
import shop.local.stack.CfnTemplate;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;

/** The handler with its real adapters, fed the sample events of {@code events/visits/}. */
@ExtendWith(LocalAwsExtension.class)
class VisitsHandlerTest {
    private static VisitsHandler handler;
    private static String partnerKey;

    @BeforeAll
    static void startHandler(LocalAws aws) {
        Map<String, String> env = aws.functionEnvironment("VisitsFunction", Map.of());
        handler = new VisitsHandler(env);
        var out = new ByteArrayOutputStream();
        PartnerKeyCommand.run(new String[] {"create", "Handler Test Partner"}, Env.of(env), new PrintStream(out),
                new PrintStream(new ByteArrayOutputStream()));
        partnerKey = out.toString().trim();
    }

    @Test
    void pageViewEventsAnswer204() throws IOException {
        assertEquals(204, handler.handleRequest(event("page-view.json"), null).getStatusCode());
        assertEquals(204, handler.handleRequest(event("page-view-gpc.json"), null).getStatusCode());
    }

    @Test
    void statsEventsAnswerJsonAndCsvForAValidKeyAnd401Otherwise() throws IOException {
        var json = handler.handleRequest(withKey(event("stats-daily.json"), partnerKey), null);
        assertEquals(200, json.getStatusCode(), json.getBody());
        assertEquals(30, Json.mapper().readTree(json.getBody()).size());

        var csv = handler.handleRequest(withKey(event("stats-daily-csv.json"), partnerKey), null);
        assertEquals(200, csv.getStatusCode());
        assertTrue(csv.getBody().startsWith("date,visitors,pageViews,orders\r\n2026-11-01,"), csv.getBody());

        var unauthorized = handler.handleRequest(event("stats-daily.json"), null);
        assertEquals(401, unauthorized.getStatusCode());
        assertEquals("Bearer", unauthorized.getHeaders().get("www-authenticate"));
    }

    @Test
    void snapStartPrimingWritesNothing(LocalAws aws) {
        long items = itemCount(aws, "VisitsTable") + itemCount(aws, "StatsTable");

        handler.prime();

        assertEquals(items, itemCount(aws, "VisitsTable") + itemCount(aws, "StatsTable"));
    }

    private static long itemCount(LocalAws aws, String table) {
        return aws.dynamo().scan(b -> b.tableName(aws.physicalName(table))).count();
    }

    private static APIGatewayV2HTTPEvent withKey(APIGatewayV2HTTPEvent event, String key) {
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("authorization", "Bearer " + key);
        event.setHeaders(headers);
        return event;
    }

    private static APIGatewayV2HTTPEvent event(String name) throws IOException {
        Path dir = CfnTemplate.repositoryRoot();
        return Json.mapper().readValue(Files.readString(dir.resolve("events/visits").resolve(name)),
                APIGatewayV2HTTPEvent.class);
    }
}
