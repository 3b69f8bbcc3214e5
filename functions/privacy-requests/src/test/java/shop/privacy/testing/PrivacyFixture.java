package shop.privacy.testing;

import shop.local.stack.MutableClock;

import java.time.Instant;
import shop.core.email.EmailAddress;
import shop.core.mail.BackOfficeLinks;
import shop.core.security.AddressHasher;
import shop.privacy.PrivacyMails;
import shop.privacy.RequestExecutor;
import shop.privacy.RequestIntake;
import shop.privacy.RequestRunner;

/** The privacy services wired to in-memory fakes, for fast service tests. */
public final class PrivacyFixture {
    public static final String OWNER = "owner@shop.example";
    public static final String BASE = "https://api.example.test";

    public final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    public final InMemoryRequestStore requests = new InMemoryRequestStore(clock);
    public final InMemorySubscriberRecords subscribers = new InMemorySubscriberRecords();
    public final InMemoryOrderRecords orders = new InMemoryOrderRecords();
    public final InMemoryExportFiles exports = new InMemoryExportFiles();
    public final RecordingPaymentCustomers payments = new RecordingPaymentCustomers();
    public final RecordingMailer mailer = new RecordingMailer();
    public final CountingRateLimiter limiter = new CountingRateLimiter(clock);
    public final AddressHasher hasher = new AddressHasher("test-key-test-key-test-key-test-key!");
    /** The admin page the owner's mails link to. */
    public static final String ADMIN_PAGE = "https://admin.example.com/";
    public final PrivacyMails mails = new PrivacyMails("Test Jewelry", BackOfficeLinks.at(ADMIN_PAGE));
    public final InMemoryVisitLog visits = new InMemoryVisitLog();
    public final InMemoryAccountStore accounts = new InMemoryAccountStore();
    public final RequestExecutor executor = new RequestExecutor(subscribers, orders, requests, exports, payments, visits,
            accounts, clock);
    public final RequestIntake intake = new RequestIntake(requests, mailer, limiter, hasher, mails, clock);
    public final RequestRunner runner = new RequestRunner(requests, executor, mailer, mails, new EmailAddress(OWNER), clock);

    public String hash(String email) {
        return hasher.hash(new EmailAddress(email));
    }
}
