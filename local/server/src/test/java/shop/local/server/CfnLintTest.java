package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cfn-lint on template.yaml: AWS's own (Python, {@code cfn-lint} 1.x, current resource
 * specification) where it is installed, as on these machines; otherwise the npm community linter
 * pinned in local/package.json. The npm one's specification predates HTTP APIs, SnapStart, JSON
 * logging and SES v2 options, so the findings listed in {@link #OUTDATED_SPEC} are known false
 * alarms (each names a property or attribute CloudFormation and SAM document today); it does not
 * know CloudFront's origin access control (2022) at all, and stops resolving intrinsics once it
 * meets one, so the images distribution needs the Python linter. Any other finding fails. The
 * second test proves the linter still catches what it is here for.
 */
class CfnLintTest {
    private static final List<Pattern> OUTDATED_SPEC = List.of(
            Pattern.compile("Invalid or unsupported SAM Globals property name: (Architectures|SnapStart|LoggingConfig)"),
            Pattern.compile("Resource \\w+ has an invalid Type of AWS::Serverless::HttpApi\\."),
            Pattern.compile("ApiId is not a valid property of AWS::Serverless::Function\\.ApiEvent"),
            // An HttpApi event's Auth (its Authorizer), which SAM documents for HttpApi events; the /admin/* routes use it.
            Pattern.compile("Auth is not a valid property of AWS::Serverless::Function\\.ApiEvent"),
            Pattern.compile("(DeliveryOptions|ReputationOptions|SendingOptions|SuppressionOptions|VdmOptions) "
                    + "is not a valid property of AWS::SES::ConfigurationSet"),
            Pattern.compile("(Architectures|SnapStart|LoggingConfig|AutoPublishAlias) is not a valid property of AWS::Serverless::Function"),
            Pattern.compile("(SqsManagedSseEnabled) is not a valid property of AWS::SQS::Queue"),
            Pattern.compile("No such attribute QueueUrl on AWS::SQS::Queue"),
            Pattern.compile("FunctionResponseTypes is not a valid property of AWS::Serverless::Function\\.SQSEvent"),
            // The back office (Cognito user pool, deletion protection, HttpApi route authorizers), newer than the spec.
            Pattern.compile("Auth is not a valid property of AWS::Serverless::Function\\.ApiEvent"),
            Pattern.compile("(DeletionProtection|EnabledMfas|AccountRecoverySetting) is not a valid property of "
                    + "AWS::Cognito::UserPool "),
            Pattern.compile("TemporaryPasswordValidityDays is not a valid property of AWS::Cognito::UserPool\\.PasswordPolicy"),
            Pattern.compile("(PreventUserExistenceErrors|AccessTokenValidity|IdTokenValidity|TokenValidityUnits"
                    + "|EnableTokenRevocation) is not a valid property of AWS::Cognito::UserPoolClient"),
            Pattern.compile("DeletionProtectionEnabled is not a valid property of AWS::DynamoDB::Table"),
            // Not the spec's age but the linter's mock values: inside Fn::Sub it renders ${AWS::Partition} as
            // "${aws}", so an ARN built with Fn::Sub (the SES rule set's, for the Lambda permission) fails its check.
            Pattern.compile("Expecting an ARN, got 'arn:\\$\\{aws\\}:"));

    @Test
    void templateHasNoFindingsBeyondTheLintersOutdatedSpecification() throws Exception {
        List<String> findings = lint(TemplateTest.root().resolve("template.yaml"));
        List<String> real = findings.stream()
                .filter(message -> OUTDATED_SPEC.stream().noneMatch(p -> p.matcher(message).find()))
                .toList();
        assertEquals(List.of(), real, "cfn-lint findings in template.yaml");
    }

    @Test
    void linterCatchesAMisspelledPropertyAndADanglingRef(@TempDir Path dir) throws Exception {
        String template = Files.readString(TemplateTest.root().resolve("template.yaml"))
                .replace("BillingMode: PAY_PER_REQUEST", "BilingMode: PAY_PER_REQUEST")
                .replace("!Ref SubscribersTable", "!Ref SubscriberzTable");
        Path broken = dir.resolve("template.yaml");
        Files.writeString(broken, template);

        String all = String.join("\n", lint(broken));
        assertTrue(all.contains("BilingMode"), all);
        assertTrue(all.contains("SubscriberzTable"), all);
    }

    /** The linter's messages, one per finding: the Python cfn-lint's if installed, else the npm one's. */
    private static List<String> lint(Path template) throws IOException, InterruptedException {
        if (pythonLinter()) {
            Process process = new ProcessBuilder(PYTHON, "-c",
                    "import sys; from cfnlint.runner import main; sys.exit(main())", "--format", "parseable",
                    template.toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(300, TimeUnit.SECONDS), "cfn-lint did not finish");
            List<String> messages = new ArrayList<>();
            for (String line : output.split("\n")) {
                // file:line:column:endLine:endColumn:rule:message
                String[] parts = line.split(":", 7);
                if (parts.length == 7) {
                    messages.add(parts[5] + " " + parts[6] + "  [line " + parts[1] + "]");
                }
            }
            return messages;
        }
        return npmLint(template);
    }

    private static final String PYTHON = System.getenv().getOrDefault("SHOP_PYTHON", "python3");

    private static boolean pythonLinter() throws InterruptedException {
        try {
            Process probe = new ProcessBuilder(PYTHON, "-c", "import cfnlint.runner").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException noPython) {
            return false;
        }
    }

    private static List<String> npmLint(Path template) throws IOException, InterruptedException {
        Path linter = TemplateTest.root().resolve("local/node_modules/.bin/cfn-lint");
        assertTrue(Files.isExecutable(linter), "run `npm ci --prefix local` first (./local/run and .ci/run do)");
        Process process = new ProcessBuilder(linter.toString(), "validate", template.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .replaceAll("\u001B\\[[0-9;]*m", "");
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "cfn-lint did not finish");
        List<String> messages = new ArrayList<>();
        String resource = "";
        for (String line : output.split("\n")) {
            if (line.startsWith("Resource: ")) {
                resource = line.substring("Resource: ".length());
            } else if (line.startsWith("Message: ")) {
                messages.add(line.substring("Message: ".length()) + "  [" + resource + "]");
            }
        }
        return messages;
    }
}
