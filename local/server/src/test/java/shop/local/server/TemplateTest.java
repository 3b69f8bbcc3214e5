package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import shop.campaigns.feedback.FeedbackService;
import shop.core.retention.RetentionRule;
import shop.core.retention.RetentionSchedule;
import shop.local.stack.CfnTemplate;

/**
 * template.yaml checked against the code it deploys: what cfn-lint cannot know.
 * (The routes are checked end to end in {@code RoutesReachHandlersTest}.)
 */
class TemplateTest {
    /** Actions AWS offers no resource-level permission for; only these may name Resource "*". */
    private static final Set<String> ACTIONS_WITHOUT_RESOURCES = Set.of(
            "cloudwatch:PutMetricData", "xray:PutTraceSegments", "xray:PutTelemetryRecords");

    private final CfnTemplate template = CfnTemplate.load();

    @Test
    void everyHandlerClassIsInTheJarItsCodeUriNames() throws Exception {
        for (CfnTemplate.Function function : template.functions().values()) {
            Path jar = root().resolve(function.codeUri());
            assertTrue(Files.isRegularFile(jar), function.logicalId() + ": CodeUri " + jar + " is not built");
            String className = function.handler().split("::")[0];
            try (var zip = new ZipFile(jar.toFile())) {
                assertTrue(zip.getEntry(className.replace('.', '/') + ".class") != null,
                        function.logicalId() + ": " + className + " is not in " + jar);
            }
            // The jar alone must be enough: load the handler with nothing else on the class path.
            try (var loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
                Class<?> handler = Class.forName(className, false, loader);
                assertTrue(Modifier.isPublic(handler.getConstructor().getModifiers()),
                        className + " needs the public no-arg constructor Lambda calls");
                handler.getConstructor(Map.class);
                assertTrue(loader.loadClass("com.amazonaws.services.lambda.runtime.RequestHandler").isAssignableFrom(handler)
                        || loader.loadClass("com.amazonaws.services.lambda.runtime.RequestStreamHandler").isAssignableFrom(handler),
                        className + " must implement RequestHandler or RequestStreamHandler");
            }
        }
    }

    @Test
    void everyTableIsOnDemandEncryptedBackedUpAndDeclaresTheTtlAttribute() {
        for (CfnTemplate.Resource table : template.resourcesOfType(CfnTemplate.TABLE)) {
            Map<String, Object> p = table.properties();
            String id = table.logicalId();
            assertEquals("PAY_PER_REQUEST", p.get("BillingMode"), id);
            assertEquals(Boolean.TRUE, map(p.get("SSESpecification")).get("SSEEnabled"), id + " encryption at rest");
            assertEquals(Boolean.TRUE, map(p.get("PointInTimeRecoverySpecification")).get("PointInTimeRecoveryEnabled"),
                    id + " point-in-time recovery");
            var ttl = map(p.get("TimeToLiveSpecification"));
            assertEquals(RetentionSchedule.TTL_ATTRIBUTE, ttl.get("AttributeName"), id + " TTL attribute");
            assertEquals(Boolean.TRUE, ttl.get("Enabled"), id + " TTL enabled");
        }
    }

    /**
     * Issue 13, finding 10: the stores that hold records (orders kept 7 years, consent proofs and
     * the suppression list, the privacy audit trail, the catalog and its photos, partners' daily
     * figures, the back office's trail) survive a deleted stack or a replaced resource, and the
     * tables refuse DeleteTable. Checkouts and the visit log hold only what expires within days.
     */
    @Test
    void everyStoreThatHoldsRecordsIsRetainedAndItsTablesAreProtectedFromDeletion() {
        List<String> records = List.of("OrdersTable", "SubscribersTable", "PrivacyRequestsTable", "ProductsTable",
                "StatsTable", "AdminAuditTable", "CampaignsTable", "ImagesBucket");
        for (String id : records) {
            var resource = template.resource(id).orElseThrow(() -> new AssertionError("no " + id));
            assertEquals(Optional.of("Retain"), template.resourceAttribute(id, "DeletionPolicy"), id + " DeletionPolicy");
            assertEquals(Optional.of("Retain"), template.resourceAttribute(id, "UpdateReplacePolicy"), id + " UpdateReplacePolicy");
            if (resource.type().equals(CfnTemplate.TABLE)) {
                assertEquals(Boolean.TRUE, resource.properties().get("DeletionProtectionEnabled"), id + " deletion protection");
            }
        }
        var transient_ = new java.util.HashSet<String>();
        template.resourcesOfType(CfnTemplate.TABLE).forEach(t -> transient_.add(t.logicalId()));
        template.resourcesOfType(CfnTemplate.BUCKET).forEach(b -> transient_.add(b.logicalId()));
        transient_.removeAll(records);
        assertEquals(Set.of("CheckoutsTable", "VisitsTable", "CustomerAccountsTable", "ExportsBucket", "AccountingExportsBucket",
                        "InboundMailBucket"),
                transient_, "a new table or bucket: decide whether it holds records and add it to one list");
    }

    /**
     * Issue 13, finding 11: no secret in a function's configuration (which
     * lambda:GetFunctionConfiguration shows): no NoEcho parameter in any environment, the address
     * hash key named as an SSM parameter, and GetParameter on it granted to exactly the
     * functions that are given its name, on that parameter alone.
     */
    @Test
    void noSecretIsInAFunctionsEnvironmentAndTheAddressHashKeyIsReadFromSsmByThoseWhoNeedIt() {
        for (CfnTemplate.Function function : template.functions().values()) {
            String id = function.logicalId();
            var environment = function.environment();
            assertFalse(environment.containsKey("ADDRESS_HASH_KEY"), id + " has the address hash key in its environment");
            assertFalse(String.valueOf(environment).contains("{Ref=AddressHashKey}"), id);
            boolean named = environment.containsKey("ADDRESS_HASH_KEY_PARAMETER");
            if (named) {
                assertEquals("{Ref=AddressHashKeyParameter}", String.valueOf(environment.get("ADDRESS_HASH_KEY_PARAMETER")), id);
            }
            boolean granted = statements(template.resource(id).orElseThrow().properties().get("Policies")).stream()
                    .filter(statement -> list(statement.get("Action")).contains("ssm:GetParameter"))
                    .anyMatch(statement -> String.valueOf(statement.get("Resource")).contains("${AddressHashKeyParameter}"));
            assertEquals(named, granted, id + ": ssm:GetParameter on the address hash key exactly when it reads it");
        }
        assertTrue(template.parameters().containsKey("AddressHashKeyParameter"));
        assertFalse(template.parameters().containsKey("AddressHashKey"), "the key itself is no stack parameter");
    }

    /** Issue 13, finding 12: the money paths and the API as a whole tell the owner when they fail. */
    @Test
    void checkoutWebhookAndTheApisFiveHundredsHaveAlarmsThatNotifySomeone() {
        for (String function : List.of("CheckoutFunction", "StripeWebhookFunction")) {
            boolean alarmed = template.resourcesOfType("AWS::CloudWatch::Alarm").stream().map(CfnTemplate.Resource::properties)
                    .filter(p -> "AWS/Lambda".equals(p.get("Namespace")) && "Errors".equals(p.get("MetricName"))
                            && String.valueOf(p.get("Dimensions")).contains("{Ref=" + function + "}")
                            && "GreaterThanOrEqualToThreshold".equals(p.get("ComparisonOperator"))
                            && Double.parseDouble(String.valueOf(p.get("Threshold"))) <= 1)
                    .anyMatch(this::notifiesATopic);
            assertTrue(alarmed, function + ": its errors need an alarm that notifies an SNS topic");
        }
        boolean apiAlarmed = template.resourcesOfType("AWS::CloudWatch::Alarm").stream().map(CfnTemplate.Resource::properties)
                .filter(p -> String.valueOf(p.get("Metrics")).contains("MetricName=5xx")
                        && String.valueOf(p.get("Metrics")).contains("{Ref=HttpApi}"))
                .anyMatch(this::notifiesATopic);
        assertTrue(apiAlarmed, "the HTTP API's 5xx need an alarm that notifies an SNS topic");
    }

    private boolean notifiesATopic(Map<String, Object> alarm) {
        return list(alarm.get("AlarmActions")).stream().map(String::valueOf)
                .anyMatch(action -> template.resource(action.replaceAll("\\{Ref=(\\w+)}", "$1"))
                        .map(topic -> topic.type().equals("AWS::SNS::Topic")).orElse(false));
    }

    /**
     * API Gateway's JWT authorizer checks the token, not the account: a disabled staff member's
     * access token passes until it expires. Five minutes (Cognito's least) bounds that; the admin
     * page refreshes its tokens through the refresh token, which disabling ends at once.
     */
    @Test
    void aStaffAccessTokenOutlivesItsAccountByFiveMinutesAtMost() {
        Map<String, Object> client = template.resource("AdminUserPoolClient").orElseThrow().properties();
        @SuppressWarnings("unchecked")
        Map<String, Object> units = (Map<String, Object>) client.get("TokenValidityUnits");
        for (String token : List.of("AccessToken", "IdToken")) {
            assertEquals("minutes", units.get(token), token);
            assertTrue(Integer.parseInt(String.valueOf(client.get(token + "Validity"))) <= 5, token + ": " + client);
        }
        assertEquals(Boolean.TRUE, client.get("EnableTokenRevocation"));
    }

    /**
     * SES's own list keeps hard bounces (the address does not exist: every mail to it fails), but
     * not complaints: a complaint is about marketing, which the shop's own suppression stops, and
     * SES's list would also stop the complainer's order mail, sign-in codes and privacy replies,
     * and the confirmation of the fresh signup that alone may lift the shop's suppression.
     */
    @Test
    void sesSuppressesHardBouncesForTheWholeStackButLeavesComplaintsToTheShopsOwnList() {
        Map<String, Object> set = template.resource("MailConfigurationSet").orElseThrow().properties();
        @SuppressWarnings("unchecked")
        Map<String, Object> suppression = (Map<String, Object>) set.get("SuppressionOptions");
        assertEquals(List.of("BOUNCE"), suppression.get("SuppressedReasons"));
    }

    @Test
    void everyRetentionRuleNamesATableOrBucketOfTheTemplate() {
        for (RetentionRule rule : RetentionSchedule.all()) {
            var store = template.resource(rule.store());
            assertTrue(store.isPresent(), rule.data() + ": no resource " + rule.store() + " in template.yaml");
            assertTrue(Set.of(CfnTemplate.TABLE, CfnTemplate.BUCKET).contains(store.get().type()),
                    rule.store() + " is neither a table nor a bucket");
        }
    }

    /**
     * A bucket has no TTL attribute: data kept there expires through a lifecycle rule, which
     * must expire every object after exactly the days the schedule promises.
     */
    @Test
    void everyRuleForABucketIsItsLifecycleExpiry() {
        for (RetentionRule rule : RetentionSchedule.all()) {
            var store = template.resource(rule.store());
            if (store.isEmpty() || !store.get().type().equals(CfnTemplate.BUCKET)) {
                continue;
            }
            assertTrue(rule.keptFor().isPresent(), rule.data() + ": data in a bucket needs an expiry");
            long days = rule.keptFor().get().toDays();
            assertEquals(rule.keptFor().get(), java.time.Duration.ofDays(days), rule.data() + ": whole days only");
            var lifecycle = map(store.get().properties().get("LifecycleConfiguration"));
            boolean expires = list(lifecycle.get("Rules")).stream().map(TemplateTest::map)
                    .anyMatch(r -> "Enabled".equals(r.get("Status"))
                            && String.valueOf(days).equals(String.valueOf(r.get("ExpirationInDays")))
                            && r.get("Prefix") == null && r.get("Filter") == null);
            assertTrue(expires, rule.store() + " has no enabled lifecycle rule expiring every object after " + days
                    + " days");
        }
    }

    @Test
    void theReadmeRetentionTableIsTheSchedule() throws IOException {
        String readme = Files.readString(root().resolve("README.md"));
        assertTrue(readme.contains(RetentionSchedule.markdownTable()),
                "README.md's retention table differs from RetentionSchedule.markdownTable(); paste this:\n"
                        + RetentionSchedule.markdownTable());
    }

    @Test
    void noPolicyGrantsEverythingWhereAResourceCanBeNamed() {
        List<String> problems = new ArrayList<>();
        for (CfnTemplate.Resource resource : template.resources().values()) {
            Object policies = resource.properties().get("Policies");
            for (Map<String, Object> statement : statements(policies)) {
                List<Object> actions = list(statement.get("Action"));
                List<Object> resources = list(statement.get("Resource"));
                for (Object action : actions) {
                    if ("*".equals(action) || String.valueOf(action).endsWith(":*")) {
                        problems.add(resource.logicalId() + " grants action " + action);
                    }
                }
                if (resources.contains("*")
                        && !actions.stream().allMatch(a -> ACTIONS_WITHOUT_RESOURCES.contains(String.valueOf(a)))) {
                    problems.add(resource.logicalId() + " grants " + actions + " on Resource *");
                }
            }
            if (policies instanceof List<?> list) {
                for (Object entry : list) {
                    if (entry instanceof String managed && managed.contains("FullAccess")) {
                        problems.add(resource.logicalId() + " uses managed policy " + managed);
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /**
     * Request paths Query an index, never Scan, whatever the table's size: a function behind the
     * HTTP API may Scan only the products table, whose whole content is the catalog it answers with.
     */
    @Test
    void noFunctionBehindTheApiMayScanATableButTheCatalog() {
        List<String> problems = new ArrayList<>();
        for (CfnTemplate.Function function : template.functions().values()) {
            if (function.httpApiEvents().isEmpty()) {
                continue;
            }
            Object policies = template.resource(function.logicalId()).orElseThrow().properties().get("Policies");
            for (Map<String, Object> statement : statements(policies)) {
                if (!list(statement.get("Action")).contains("dynamodb:Scan")) {
                    continue;
                }
                for (Object resource : list(statement.get("Resource"))) {
                    if (!resource.equals(Map.of("Fn::GetAtt", List.of("ProductsTable", "Arn")))) {
                        problems.add(function.logicalId() + " may Scan " + resource);
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /**
     * An address's newsletter link tokens are found through the subscribers table's sparse index
     * TokensByAddress, not from a list on the subscriber: each function that runs an unsubscribe
     * or a privacy request may Query that index, with nothing else granted on it, and no function
     * may Query the subscribers table itself.
     */
    @Test
    void theFunctionsThatUnsubscribeOrEraseMayOnlyQueryTheTokensIndexOfTheSubscribers() {
        Object index = Map.of("Fn::Sub", "${SubscribersTable.Arn}/index/TokensByAddress");
        Set<String> querying = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (CfnTemplate.Function function : template.functions().values()) {
            Object policies = template.resource(function.logicalId()).orElseThrow().properties().get("Policies");
            for (Map<String, Object> statement : statements(policies)) {
                List<Object> actions = list(statement.get("Action"));
                for (Object resource : list(statement.get("Resource"))) {
                    if (resource.equals(index)) {
                        querying.add(function.logicalId());
                        if (!actions.equals(List.of("dynamodb:Query"))) {
                            problems.add(function.logicalId() + " may " + actions + " on TokensByAddress");
                        }
                    } else if (actions.contains("dynamodb:Query") && String.valueOf(resource).contains("SubscribersTable")
                            && !String.valueOf(resource).contains("/index/")) {
                        problems.add(function.logicalId() + " may Query the subscribers table itself");
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertEquals(Set.of("NewsletterFunction", "PrivacyRequestsFunction", "CustomerAccountFunction",
                "PrivacyInboundMailFunction"), querying);
    }

    /**
     * The owner's morning mail reads the orders table through two indexes only (what they project: never an address or
     * an email), and writes nothing there but its day's claim.
     */
    @Test
    void theMorningMailMayQueryTwoOrderIndexesAndWriteOnlyItsDayClaim() {
        Object policies = template.resource("OrdersWaitingFunction").orElseThrow().properties().get("Policies");
        List<String> problems = new ArrayList<>();
        Set<Object> queried = new java.util.HashSet<>();
        for (Map<String, Object> statement : statements(policies)) {
            List<Object> actions = list(statement.get("Action"));
            for (Object resource : list(statement.get("Resource"))) {
                if (!String.valueOf(resource).contains("OrdersTable")) {
                    continue;
                }
                if (actions.equals(List.of("dynamodb:Query")) && String.valueOf(resource).contains("/index/")) {
                    queried.add(resource);
                } else if (!actions.stream().allMatch(List.of("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem")::contains)
                        || !String.valueOf(statement.get("Condition")).equals(
                                "{ForAllValues:StringLike={dynamodb:LeadingKeys=[MAIL#ORDERS_WAITING#*]}}")) {
                    problems.add("may " + actions + " on " + resource + " with " + statement.get("Condition"));
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertEquals(Set.of(Map.of("Fn::Sub", "${OrdersTable.Arn}/index/byStatus"),
                Map.of("Fn::Sub", "${OrdersTable.Arn}/index/byOpenDispute")), queried);
    }

    /**
     * The privacy digest reads the open requests through their index and closes them (UpdateItem, as before its claim);
     * it may read or delete nothing of the table but its day's claim.
     */
    @Test
    void theDigestMayQueryTheOpenIndexUpdateOnlyRequestsAndReadOrDeleteOnlyItsDayClaim() {
        Object policies = template.resource("PrivacyDigestFunction").orElseThrow().properties().get("Policies");
        List<String> problems = new ArrayList<>();
        boolean claims = false;
        boolean requests = false;
        for (Map<String, Object> statement : statements(policies)) {
            List<Object> actions = list(statement.get("Action"));
            for (Object resource : list(statement.get("Resource"))) {
                if (!String.valueOf(resource).contains("PrivacyRequestsTable")) {
                    continue;
                }
                String condition = String.valueOf(statement.get("Condition"));
                if (actions.equals(List.of("dynamodb:Query"))
                        && resource.equals(Map.of("Fn::Sub", "${PrivacyRequestsTable.Arn}/index/open"))) {
                    continue;
                }
                if (actions.equals(List.of("dynamodb:UpdateItem"))
                        && condition.equals("{ForAllValues:StringLike={dynamodb:LeadingKeys=[REQUEST#*]}}")) {
                    requests = true;
                    continue;
                }
                if (actions.equals(List.of("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"))
                        && condition.equals("{ForAllValues:StringLike={dynamodb:LeadingKeys=[MAIL#PRIVACY_DIGEST#*]}}")) {
                    claims = true;
                    continue;
                }
                problems.add("may " + actions + " on " + resource + " with " + statement.get("Condition"));
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(claims, "its day's claim: GetItem, UpdateItem and DeleteItem of MAIL#PRIVACY_DIGEST#* only");
        assertTrue(requests, "the requests it expires or lapses: UpdateItem of REQUEST#* only");
    }

    @Test
    void everyFunctionHasALogGroupWithRetention() {
        for (CfnTemplate.Function function : template.functions().values()) {
            boolean found = template.resourcesOfType("AWS::Logs::LogGroup").stream()
                    .anyMatch(group -> String.valueOf(group.properties().get("LogGroupName")).contains(function.logicalId())
                            && group.properties().get("RetentionInDays") != null);
            assertTrue(found, function.logicalId() + " has no log group with RetentionInDays");
        }
    }

    @Test
    void everyQueueIsEncrypted() {
        for (CfnTemplate.Resource queue : template.resourcesOfType(CfnTemplate.QUEUE)) {
            var p = queue.properties();
            assertTrue(Boolean.TRUE.equals(p.get("SqsManagedSseEnabled")) || p.get("KmsMasterKeyId") != null,
                    queue.logicalId() + " is not encrypted at rest");
        }
    }

    /** SES throttled or down: the order mail waits in a dead-letter queue, and someone is told. */
    @Test
    void everyQueueWithADeadLetterQueueHasAnAlarmOnItsDepthThatNotifiesSomeone() {
        int checked = 0;
        for (CfnTemplate.Resource queue : template.resourcesOfType(CfnTemplate.QUEUE)) {
            if (queue.properties().get("RedrivePolicy") == null) {
                continue;
            }
            var redrive = map(queue.properties().get("RedrivePolicy"));
            checked++;
            String deadLetters = String.valueOf(redrive.get("deadLetterTargetArn")).replaceAll(".*?\\[?(\\w+)[.,].*", "$1");
            assertTrue(template.resource(deadLetters).isPresent(), queue.logicalId() + ": no dead-letter queue " + deadLetters);
            boolean alarmed = template.resourcesOfType("AWS::CloudWatch::Alarm").stream().map(CfnTemplate.Resource::properties)
                    .filter(p -> "AWS/SQS".equals(p.get("Namespace"))
                            && "ApproximateNumberOfMessagesVisible".equals(p.get("MetricName"))
                            && String.valueOf(p.get("Dimensions")).contains(deadLetters)
                            && "GreaterThanOrEqualToThreshold".equals(p.get("ComparisonOperator"))
                            && Double.parseDouble(String.valueOf(p.get("Threshold"))) <= 1)
                    .anyMatch(p -> list(p.get("AlarmActions")).stream().map(String::valueOf)
                            .anyMatch(action -> template.resource(action.replaceAll("\\{Ref=(\\w+)}", "$1"))
                                    .map(topic -> topic.type().equals("AWS::SNS::Topic")).orElse(false)));
            assertTrue(alarmed, deadLetters + " has no alarm on one visible message that notifies an SNS topic");
        }
        assertTrue(checked > 0, "the order notification queue has a dead-letter queue");
    }

    /**
     * A campaign sender counts a recipient failed on their message's last receive, the one after
     * which SQS moves it to the dead-letter queue: it must know the queue's maxReceiveCount, from
     * the one place the template says it.
     */
    @Test
    void theCampaignSendersLastReceiveIsTheRecipientsQueuesMaxReceiveCount() {
        Object maxReceives = map(template.resource("CampaignRecipientsQueue").orElseThrow().properties()
                .get("RedrivePolicy")).get("maxReceiveCount");
        Object senders = map(map(template.resource("CampaignSendFunction").orElseThrow().properties()
                .get("Environment")).get("Variables")).get("RECIPIENTS_MAX_RECEIVE_COUNT");
        assertEquals(Map.of("Fn::FindInMap", List.of("CampaignRecipients", "Queue", "MaxReceiveCount")), maxReceives);
        assertEquals(maxReceives, senders, "the sender's variable is the queue's RedrivePolicy");
    }

    /**
     * EventBridge invokes the SES feedback function asynchronously, and Lambda retries a failed event
     * a minute and then two minutes later. The claim of the owner's mail about an order mail's
     * bounce is stale (taken over) after {@code OWNER_MAIL_STALE_AFTER}: longer than the function
     * may run, so no live delivery loses it, and shorter than the first gap, so the retry of a
     * stopped one always takes it over. Both retries are kept, and an event that fails all three
     * attempts waits in a dead-letter queue whose alarm tells someone.
     */
    @Test
    void theFeedbackFunctionsRetryComesAfterItsOwnerMailClaimIsStaleAndItsFailuresAreKept() {
        Duration stale = FeedbackService.OWNER_MAIL_STALE_AFTER;
        CfnTemplate.Function function = template.function("SesFeedbackFunction");
        assertTrue(Duration.ofSeconds(function.timeoutSeconds()).compareTo(stale) < 0,
                "a live delivery's claim would be taken over: timeout " + function.timeoutSeconds() + " s, stale after " + stale);
        assertTrue(stale.compareTo(Duration.ofMinutes(1)) < 0, "Lambda's first retry would find the claim still held");
        var properties = template.resource("SesFeedbackFunction").orElseThrow().properties();
        var invokeConfig = map(properties.get("EventInvokeConfig"));
        assertEquals("2", String.valueOf(invokeConfig.get("MaximumRetryAttempts")), "both of Lambda's retries");
        var deadLetters = map(properties.get("DeadLetterQueue"));
        assertEquals("SQS", deadLetters.get("Type"));
        String queue = String.valueOf(deadLetters.get("TargetArn")).replaceAll(".*?\\[?(\\w+)[.,].*", "$1");
        assertEquals(CfnTemplate.QUEUE, template.resource(queue).orElseThrow().type());
        boolean alarmed = template.resourcesOfType("AWS::CloudWatch::Alarm").stream().map(CfnTemplate.Resource::properties)
                .filter(p -> "AWS/SQS".equals(p.get("Namespace"))
                        && "ApproximateNumberOfMessagesVisible".equals(p.get("MetricName"))
                        && String.valueOf(p.get("Dimensions")).contains(queue)
                        && Double.parseDouble(String.valueOf(p.get("Threshold"))) <= 1)
                .anyMatch(p -> list(p.get("AlarmActions")).stream().map(String::valueOf)
                        .anyMatch(action -> template.resource(action.replaceAll("\\{Ref=(\\w+)}", "$1"))
                                .map(topic -> topic.type().equals("AWS::SNS::Topic")).orElse(false)));
        assertTrue(alarmed, queue + " has no alarm on one visible message that notifies an SNS topic");
    }

    @Test
    void everyScheduledFunctionHasAnAlarmOnItsErrorsThatNotifiesSomeone() {
        List<String> scheduled = template.functions().values().stream().filter(f -> !f.scheduleEvents().isEmpty())
                .map(CfnTemplate.Function::logicalId).toList();
        assertTrue(scheduled.containsAll(List.of("AbandonedCheckoutsFunction", "PrivacyDigestFunction", "OrdersWaitingFunction")),
                scheduled.toString());
        for (String function : scheduled) {
            boolean alarmed = template.resourcesOfType("AWS::CloudWatch::Alarm").stream().map(CfnTemplate.Resource::properties)
                    .filter(p -> "AWS/Lambda".equals(p.get("Namespace")) && "Errors".equals(p.get("MetricName"))
                            && String.valueOf(p.get("Dimensions")).contains("{Ref=" + function + "}")
                            && "GreaterThanOrEqualToThreshold".equals(p.get("ComparisonOperator"))
                            && Double.parseDouble(String.valueOf(p.get("Threshold"))) <= 1)
                    .anyMatch(p -> list(p.get("AlarmActions")).stream().map(String::valueOf)
                            .anyMatch(action -> template.resource(action.replaceAll("\\{Ref=(\\w+)}", "$1"))
                                    .map(topic -> topic.type().equals("AWS::SNS::Topic")).orElse(false)));
            assertTrue(alarmed, function + " runs unattended: its errors need an alarm that notifies an SNS topic");
        }
    }

    @Test
    void everyBucketIsEncryptedPrivateAndTlsOnly() {
        for (CfnTemplate.Resource bucket : template.resourcesOfType(CfnTemplate.BUCKET)) {
            var p = bucket.properties();
            assertTrue(p.get("BucketEncryption") != null, bucket.logicalId() + " has no BucketEncryption");
            var block = map(p.get("PublicAccessBlockConfiguration"));
            for (String setting : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
                assertEquals(Boolean.TRUE, block.get(setting), bucket.logicalId() + " " + setting);
            }
            boolean tlsOnly = template.resourcesOfType("AWS::S3::BucketPolicy").stream()
                    .filter(policy -> Map.of("Ref", bucket.logicalId()).equals(policy.properties().get("Bucket")))
                    .anyMatch(policy -> String.valueOf(policy.properties()).contains("aws:SecureTransport"));
            assertTrue(tlsOnly, bucket.logicalId() + " has no policy denying requests without TLS");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(Object policies) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (policies instanceof List<?> list) {
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> map && map.get("Statement") instanceof List<?> statements) {
                    statements.forEach(s -> out.add((Map<String, Object>) s));
                }
            }
        } else if (policies instanceof Map<?, ?> map && map.get("Statement") instanceof List<?> statements) {
            statements.forEach(s -> out.add((Map<String, Object>) s));
        }
        return out;
    }

    private static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> list ? new ArrayList<>(list) : List.of(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        if (!(value instanceof Map<?, ?>)) {
            fail("expected a mapping, found " + value);
        }
        return (Map<String, Object>) value;
    }

    static Path root() {
        return CfnTemplate.repositoryRoot();
    }
}
