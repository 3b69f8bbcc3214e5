package shop.adminorders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.retention.RetentionSchedule;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The campaign subjects against the local stand-in, on the campaigns table template.yaml declares. */
@ExtendWith(LocalAwsExtension.class)
class DynamoCampaignSubjectsTest {
    private static final List<String> operations = new CopyOnWriteArrayList<>();
    private static LocalAws aws;
    private static String table;
    private static DynamoCampaignSubjects subjects;

    @BeforeAll
    static void connect(LocalAws localAws) {
        aws = localAws;
        table = aws.physicalName("CampaignsTable");
        subjects = new DynamoCampaignSubjects(aws.dynamo(operations::add), table, Clock.systemUTC());
    }

    @Test
    void theSubjectsOfAPageOfCampaignsAreBatchReadsOfAHundredCampaignsEach() {
        String kept = campaign("Spring sale", Instant.now().plusSeconds(86_400));
        String expired = campaign("Last year's sale", Instant.now().minusSeconds(60));
        List<String> ids = new ArrayList<>(List.of(kept, expired, kept, "not-a-campaign-id", "CAMPAIGN#" + kept,
                kept.toUpperCase()));
        while (ids.size() < 4 + 100) {
            ids.add(UUID.randomUUID().toString());
        }
        operations.clear();

        assertEquals(Map.of(kept, "Spring sale"), subjects.of(ids), "an expired campaign and an unknown id are absent");
        assertEquals(List.of("BatchGetItem"), operations, "100 campaign ids: one read; ids no campaign can have are not asked for");

        ids.add(UUID.randomUUID().toString());
        operations.clear();
        assertEquals(Map.of(kept, "Spring sale"), subjects.of(ids));
        assertEquals(List.of("BatchGetItem", "BatchGetItem"), operations, "101 campaign ids: two reads, none per campaign");

        operations.clear();
        assertEquals(Map.of(), subjects.of(List.of("not-a-campaign-id")));
        assertEquals(List.of(), operations, "nothing to read");
    }

    private static String campaign(String subject, Instant expiresAt) {
        String id = UUID.randomUUID().toString();
        aws.dynamo().putItem(b -> b.tableName(table).item(Map.of(
                "pk", AttributeValue.fromS("CAMPAIGN#" + id),
                "subject", AttributeValue.fromS(subject),
                RetentionSchedule.TTL_ATTRIBUTE, AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())))));
        return id;
    }
}
