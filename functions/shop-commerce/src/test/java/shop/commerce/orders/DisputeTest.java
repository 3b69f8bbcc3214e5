package shop.commerce.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DisputeTest {
    private static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");

    /**
     * What the owner reads ("outcome: ...", and the mail's "Stripe has already closed it: ..."): an inquiry that closed
     * without a chargeback ({@code warning_closed}) left the money with the shop; it read "lost".
     */
    @ParameterizedTest
    @CsvSource({"won,won", "prevented,won", "warning_closed,won", "lost,lost"})
    void aClosedDisputeSaysWhetherTheShopKeptTheMoney(String status, String outcome) {
        Dispute closed = Dispute.of("du_1", "general", status, 1000, "usd", null, AT, AT);
        assertEquals(outcome, closed.outcome());
        assertEquals(AT, closed.closedAt());
    }

    @ParameterizedTest
    @CsvSource({"warning_needs_response", "warning_under_review", "needs_response", "under_review"})
    void anOpenDisputeHasNoOutcome(String status) {
        assertNull(Dispute.of("du_1", "general", status, 1000, "usd", null, AT, AT).outcome());
    }
}
