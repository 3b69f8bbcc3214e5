package shop.local.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import shop.local.stack.LocalAws;
import shop.local.stack.Service;

/**
 * The whole backend on this machine: the AWS stand-ins with template.yaml's resources, the
 * HTTP API on PORT (default 3000), the SQS pollers and the schedules. Arguments of the form Name=Value
 * override template parameters, as {@code sam deploy --parameter-overrides} does. Ctrl-C stops
 * everything.
 */
public final class LocalLauncher {

    private LocalLauncher() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "3000"));
        // The storefront demo is served here: CORS and Stripe's return links point at this port.
        Map<String, String> overrides = new java.util.HashMap<>(Map.of("StorefrontOrigin", "http://localhost:" + port,
                "ImagesBaseUrl", "http://localhost:" + port + LocalApiServer.IMAGES));
        overrides.putAll(parameterOverrides(args));

        StripeMode stripe = StripeMode.from(System.getenv());
        LocalAws aws = LocalAws.start();
        LocalFunctions functions = new LocalFunctions(aws, aws.template(), overrides, stripe.environmentOverrides());
        LocalApiServer api;
        int products;
        try {
            products = SampleCatalog.load(aws, functions.resolver().resolveString(java.util.Map.of("Ref", "ImagesBaseUrl")));
            api = LocalApiServer.start(functions, port);
        } catch (RuntimeException e) {
            aws.close();
            throw e;
        }
        SqsPoller pollers = SqsPoller.start(functions);
        api.schedules().follow();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pollers.close(); // before the queues go away
            api.close();
            aws.close();
            stopped.countDown();
        }, "local-launcher-shutdown"));

        System.out.println(banner(aws, api, pollers, stripe, products));
        stopped.await();
    }

    static String banner(LocalAws aws, LocalApiServer api, SqsPoller pollers, StripeMode stripe, int products) {
        StringBuilder out = new StringBuilder("Jewelry shop backend — local stack ready\n");
        line(out, "HTTP API", api.baseUri().toString(), api.routeKeys().size() + " routes");
        line(out, "Storefront", api.baseUri().resolve("/").toString(), "demo pages from local/storefront");
        line(out, "Admin page", api.baseUri().resolve("/admin/").toString(), "the back office; sign in below");
        line(out, "Mail (JSON)", api.baseUri().resolve("/_local/mail").toString(), "");
        try {
            line(out, "Mailbox (web)", aws.mailbox().webUrl().toString(), "");
        } catch (UnsupportedOperationException e) {
            line(out, "Mailbox (web)", "(not available)", "");
        }
        line(out, "DynamoDB", aws.endpoint(Service.DYNAMODB).toString(), aws.standIn(Service.DYNAMODB));
        line(out, "S3", aws.endpoint(Service.S3).toString(), aws.standIn(Service.S3));
        line(out, "SES", aws.endpoint(Service.SESV2).toString(), aws.standIn(Service.SESV2));
        line(out, "SQS", aws.endpoint(Service.SQS).toString(), aws.standIn(Service.SQS)
                + ", " + pollers.queueCount() + " queue(s) polled");
        if (stripe.real()) {
            line(out, "Stripe", "test mode (your STRIPE_SECRET_KEY)", "");
            line(out, "", "stripe listen --forward-to " + api.baseUri().resolve("/stripe/webhook"), "");
        } else {
            line(out, "Stripe", aws.stripe().apiBase().toString(), "stand-in; pay pages at "
                    + api.baseUri().resolve("/_local/stripe/pay/") + "{session}");
        }
        line(out, "Catalog", products + " sample products", "catalog/sample-catalog.json");
        line(out, "Images", api.baseUri().resolve(LocalApiServer.IMAGES + "/").toString(),
                "the images bucket, standing in for CloudFront");
        line(out, "Cognito", aws.endpoint(Service.COGNITO_IDP).toString(), aws.standIn(Service.COGNITO_IDP)
                + "; pool " + aws.admins().poolId() + ", app client " + aws.admins().clientId());
        for (var admin : aws.admins().admins()) {
            line(out, "Back office", admin.username() + " / " + admin.password(), admin.group()
                    + "; TOTP secret " + aws.admins().totpSecret(admin.username()) + ", code now: GET "
                    + api.baseUri().resolve("/_local/totp/" + admin.username()));
        }
        for (LocalSchedules.Schedule schedule : api.schedules().schedules()) {
            line(out, "Schedule", schedule.toString(), "now: POST " + api.baseUri().resolve("/_local/schedules/"
                    + schedule.functionId()));
        }
        return out.append("Press Ctrl-C to stop.").toString();
    }

    private static void line(StringBuilder out, String what, String where, String note) {
        out.append(String.format("  %-15s %s%s%n", what, where, note.isEmpty() ? "" : "  (" + note + ")"));
    }

    private static Map<String, String> parameterOverrides(String[] args) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("Expected ParameterName=value, got '" + arg + "'");
            }
            overrides.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        return overrides;
    }
}
