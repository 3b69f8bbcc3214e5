package shop.visits;

import java.time.LocalDate;

/** One day of the only statistics shared with partners: counts, nothing about anyone. */
public record DailyStats(LocalDate date, long visitors, long pageViews, long orders) {
}
