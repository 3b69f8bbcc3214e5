package shop.adminorders;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Campaign subjects read from the campaigns function's table ({@code CAMPAIGN#<id>} items, keyed by {@code pk} alone):
 * only the subject and the expiry, never a change (the function's IAM allows BatchGetItem on that table only).
 */
final class DynamoCampaignSubjects implements CampaignSubjects {
    /** A campaign's id is a random UUID: anything else is no campaign's, and is not asked for. */
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String CAMPAIGN = "CAMPAIGN#";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    DynamoCampaignSubjects(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    /** One {@code BatchGetItem} per 100 campaigns (a page of the activity view is at most 100 lines). */
    @Override
    public Map<String, String> of(Collection<String> campaignIds) {
        List<String> pks = campaignIds.stream().filter(id -> ID.matcher(id).matches()).distinct()
                .map(id -> CAMPAIGN + id).toList();
        return DynamoNames.of(dynamo, table, CAMPAIGN, pks, "subject", clock.instant());
    }

    /** SnapStart: the batch read's path, on a campaign no one made. */
    void prime() {
        of(List.of("00000000-0000-0000-0000-000000000000"));
    }
}
