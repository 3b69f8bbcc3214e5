package shop.privacy;

import java.net.URI;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import shop.commerce.config.StripeSecrets;
import shop.core.aws.AwsClients;
import shop.core.config.Env;
import shop.core.aws.SsmSecureParameters;
import shop.core.email.EmailAddress;
import shop.core.mail.BackOfficeLinks;
import shop.core.mail.SesMailer;
import shop.core.ratelimit.DynamoRateLimiter;
import shop.core.security.AddressHasher;
import shop.core.dynamo.DynamoDeactivatedAddresses;
import shop.newsletter.DynamoSubscriberStore;
import shop.core.dynamo.DynamoAuditTrail;
import shop.core.dynamo.DynamoDayClaims;
import shop.core.retention.RetentionSchedule;
import shop.privacy.account.AccountMails;
import shop.privacy.admin.PrivacyAdminService;
import shop.privacy.account.AccountService;
import shop.privacy.account.SignInService;
import shop.privacy.stores.DynamoAccountStore;
import shop.privacy.stores.DynamoFailedRequests;
import shop.privacy.digest.DigestService;
import shop.privacy.inbound.InboundMailService;
import shop.privacy.requests.PrivacyRequestService;
import shop.privacy.stores.DynamoOrderRecords;
import shop.privacy.stores.DynamoRequestStore;
import shop.privacy.stores.DynamoSubscriberRecords;
import shop.privacy.stores.DynamoVisitLog;
import shop.privacy.stores.S3ExportFiles;
import shop.privacy.stores.S3RawMail;
import shop.privacy.stores.StripeCustomers;
import shop.stripe.StripeClients;

/**
 * Wires the three privacy functions to real clients, from the variables template.yaml sets.
 * Each builds only what it uses, so each can be granted only that.
 */
public final class PrivacyDependencies {
    /**
     * The digest's day claim in the privacy requests table, {@code MAIL#PRIVACY_DIGEST#<yyyy-MM-dd>}: the one item
     * of the table its function may read or delete (template.yaml).
     */
    static final String DIGEST_CLAIM_PREFIX = "MAIL#PRIVACY_DIGEST#";
    /** An erasure waits for Stripe as long as the webhook does; it is retried when Stripe fails. */
    private static final StripeClients.Timeouts STRIPE_TIMEOUTS = new StripeClients.Timeouts(3_000, 8_000, 1);

    private PrivacyDependencies() {
    }

    /** A function's service, and the SnapStart priming of its adapters. */
    public record Wired<S>(S service, Runnable primeAdapters) {
    }

    /** The HTTP API function's two services: the privacy routes, and the back office's. */
    public record Requests(PrivacyRequestService requests, PrivacyAdminService admin) {
    }

    /** The HTTP API function: every store, and the back office's trail for "try again". */
    public static Wired<Requests> requestService(Env env) {
        var aws = new AwsClients(env);
        Clock clock = Clock.systemUTC();
        var all = RequestDependencies.of(aws, env, clock);
        var runner = all.runner(env, clock);
        var failed = new DynamoFailedRequests(aws.dynamo(), env.require("PRIVACY_TABLE"),
                new DynamoAuditTrail(aws.dynamo(), env.require("ADMIN_AUDIT_TABLE"), clock));
        return new Wired<>(new Requests(new PrivacyRequestService(all.intake(clock), runner,
                all.store(), all.exports(), all.limiter(), all.hasher(), clock),
                new PrivacyAdminService(all.store(), failed, runner, clock)), () -> {
                    all.exports().prime();
                    all.mailer().prime();
                    all.parameters().prime();
                    all.store().prime();
                    failed.prime();
                });
    }

    /** The account function's two services. */
    public record Account(SignInService signIn, AccountService account) {
    }

    /**
     * The customer account function: the request function's stores (an account's changes are
     * privacy requests run the same way), the sign-in codes and sessions, and the newsletter's store.
     */
    public static Wired<Account> accountServices(Env env) {
        var aws = new AwsClients(env);
        var dynamo = aws.dynamo();
        Clock clock = Clock.systemUTC();
        var all = RequestDependencies.of(aws, env, clock);
        var subscribersTable = env.require("SUBSCRIBERS_TABLE");
        var signIn = new SignInService(all.accounts(), all.mailer(),
                new AccountMails(env.optional("SHOP_NAME").orElse("Our shop")), all.limiter(), all.hasher(), clock);
        var account = new AccountService(signIn, all.intake(clock), all.runner(env, clock), all.orders(),
                new DynamoSubscriberStore(dynamo, subscribersTable, clock),
                new DynamoDeactivatedAddresses(dynamo, subscribersTable, all.hasher(), clock), all.limiter(),
                env.require("POLICY_VERSION"), clock);
        return new Wired<>(new Account(signIn, account), () -> {
            all.exports().prime();
            all.mailer().prime();
            all.parameters().prime();
        });
    }

    /**
     * What the HTTP API and account functions both build: every store a request is carried out
     * in (an erasure reaches them all), the rate limiter, and the mail.
     */
    private record RequestDependencies(SsmSecureParameters parameters, AddressHasher hasher, DynamoRequestStore store,
                                       S3ExportFiles exports, DynamoOrderRecords orders, DynamoAccountStore accounts,
                                       RequestExecutor executor, DynamoRateLimiter limiter, SesMailer mailer,
                                       PrivacyMails mails) {

        static RequestDependencies of(AwsClients aws, Env env, Clock clock) {
            var dynamo = aws.dynamo();
            var store = new DynamoRequestStore(dynamo, env.require("PRIVACY_TABLE"), clock);
            var subscribersTable = env.require("SUBSCRIBERS_TABLE");
            var exports = new S3ExportFiles(aws.s3(), aws.s3Presigner(), env.require("EXPORTS_BUCKET"));
            var parameters = new SsmSecureParameters(aws.ssm());
            var secrets = StripeSecrets.fromEnvironment(env, parameters);
            var hasher = AddressHasher.fromEnvironment(env, parameters);
            var orders = new DynamoOrderRecords(dynamo, env.require("ORDERS_TABLE"), env.require("CHECKOUTS_TABLE"), hasher, clock);
            var accounts = new DynamoAccountStore(dynamo, env.require("ACCOUNTS_TABLE"));
            var executor = new RequestExecutor(new DynamoSubscriberRecords(dynamo, subscribersTable, clock), orders, store,
                    exports, new StripeCustomers(StripeClients.onFirstUse(env, secrets, STRIPE_TIMEOUTS)),
                    new DynamoVisitLog(dynamo, env.require("VISITS_TABLE"), clock), accounts, clock);
            return new RequestDependencies(parameters, hasher, store, exports, orders, accounts, executor,
                    new DynamoRateLimiter(dynamo, subscribersTable, clock), SesMailer.fromEnvironment(aws.ses(), env),
                    PrivacyDependencies.mails(env));
        }

        RequestIntake intake(Clock clock) {
            return new RequestIntake(store, mailer, limiter, hasher, mails, clock);
        }

        RequestRunner runner(Env env, Clock clock) {
            return new RequestRunner(store, executor, mailer, mails, SesMailer.shopOwner(env), clock);
        }
    }

    /** The SES receipt rule's function: it only unsubscribes, so it gets no orders, exports or Stripe. */
    public static Wired<InboundMailService> inboundService(Env env) {
        var aws = new AwsClients(env);
        var dynamo = aws.dynamo();
        Clock clock = Clock.systemUTC();
        var store = new DynamoRequestStore(dynamo, env.require("PRIVACY_TABLE"), clock);
        var subscribersTable = env.require("SUBSCRIBERS_TABLE");
        var executor = new RequestExecutor(new DynamoSubscriberRecords(dynamo, subscribersTable, clock),
                NotHere.INSTANCE, store, NotHere.INSTANCE, NotHere.INSTANCE, NotHere.INSTANCE, NotHere.INSTANCE, clock);
        var parameters = new SsmSecureParameters(aws.ssm());
        var hasher = AddressHasher.fromEnvironment(env, parameters);
        var mailer = SesMailer.fromEnvironment(aws.ses(), env);
        var mails = mails(env);
        Set<EmailAddress> own = new HashSet<>(List.of(new EmailAddress(env.require("SENDER_ADDRESS")), SesMailer.shopOwner(env)));
        env.optional("INBOUND_ADDRESS").map(EmailAddress::new).ifPresent(own::add);
        var rawMail = new S3RawMail(aws.s3(), env.require("INBOUND_MAIL_BUCKET"),
                env.optional("INBOUND_MAIL_PREFIX").orElse(""));
        return new Wired<>(new InboundMailService(store,
                new RequestIntake(store, mailer, new DynamoRateLimiter(dynamo, subscribersTable, clock), hasher, mails, clock),
                new RequestRunner(store, executor, mailer, mails, SesMailer.shopOwner(env), clock),
                rawMail, hasher, own, clock), () -> {
                    mailer.prime();
                    parameters.prime();
                });
    }

    /** The daily digest: the requests table, its day's claim there and mail. */
    public static DigestService digestService(Env env) {
        var aws = new AwsClients(env);
        Clock clock = Clock.systemUTC();
        String table = env.require("PRIVACY_TABLE");
        return new DigestService(new DynamoRequestStore(aws.dynamo(), table, clock),
                new DynamoDayClaims(aws.dynamo(), table, DIGEST_CLAIM_PREFIX, RetentionSchedule.PRIVACY_DIGEST_CLAIM),
                SesMailer.fromEnvironment(aws.ses(), env), mails(env), SesMailer.shopOwner(env), clock);
    }

    private static PrivacyMails mails(Env env) {
        return new PrivacyMails(env.optional("SHOP_NAME").orElse("Our shop"), BackOfficeLinks.fromEnvironment(env));
    }

    /** What the inbound function must never reach for: it unsubscribes, nothing more. */
    private enum NotHere implements OrderRecords, ExportFiles, PaymentCustomers, VisitLog, AccountSessions {
        INSTANCE;

        @Override
        public int endAll(String addressHash) {
            throw refused();
        }

        @Override
        public List<Map<String, Object>> lines(Set<String> sourceIps) {
            throw refused();
        }

        @Override
        public int erase(Set<String> sourceIps) {
            throw refused();
        }

        @Override
        public OrderData find(EmailAddress address) {
            throw refused();
        }

        @Override
        public Erased anonymise(EmailAddress address, java.time.Instant at) {
            throw refused();
        }

        @Override
        public List<String> correct(EmailAddress address, Correction correction, java.time.Instant at) {
            throw refused();
        }

        @Override
        public List<String> changeEmail(EmailAddress from, EmailAddress to, java.time.Instant at) {
            throw refused();
        }

        @Override
        public void put(String key, byte[] json) {
            throw refused();
        }

        @Override
        public void delete(String key) {
            throw refused();
        }

        @Override
        public boolean deleteCustomer(String customerId) {
            throw refused();
        }

        @Override
        public URI downloadUrl(String key, java.time.Duration validFor) {
            throw refused();
        }

        @Override
        public List<String> findByEmail(Set<String> emails) {
            throw refused();
        }

        private static UnsupportedOperationException refused() {
            return new UnsupportedOperationException("The inbound mail function has no access to this store");
        }
    }
}
