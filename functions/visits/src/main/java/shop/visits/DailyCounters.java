package shop.visits;

import java.time.LocalDate;
import java.util.List;

/** Write-sharded daily counters of page views and visitors, plus the commerce orders count. */
public interface DailyCounters {
    void countPageView(LocalDate day, boolean newVisitor);

    /** Every day from {@code from} to {@code to}, inclusive, zeros included. */
    List<DailyStats> read(LocalDate from, LocalDate to);
}
