package shop.adminorders;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import shop.core.admin.AdminCaller;

/** The services' tests' fakes of the ports, at a fixed instant, and the record service the others answer through. */
abstract class OrderServicesFixture {
    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    static final AdminCaller STAFF = new AdminCaller("sub-staff", "sam", Set.of("staff"));
    static final String URL = "https://track.example.com/RM123456789GB";

    final Fakes.Book book = new Fakes.Book();
    final Fakes.Events events = new Fakes.Events();
    final Fakes.Trail trail = book.trail;
    final Fakes.Exports exports = new Fakes.Exports();
    /** The pool's accounts: "sam" is the generated username a token carries, the address what people know. */
    final AdminNames names = username -> username.equals("sam") ? Optional.of("sam@shop.example")
            : Optional.empty();
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final OrderRecordService records = new OrderRecordService(book, trail, names);
}
