package shop.visits;

import java.util.List;

/** The same days as CSV (RFC 4180), for partners who open them in a spreadsheet. */
final class StatsCsv {
    private StatsCsv() {
    }

    static String of(List<DailyStats> days) {
        StringBuilder csv = new StringBuilder("date,visitors,pageViews,orders\r\n");
        for (DailyStats day : days) {
            csv.append(day.date()).append(',').append(day.visitors()).append(',')
                    .append(day.pageViews()).append(',').append(day.orders()).append("\r\n");
        }
        return csv.toString();
    }
}
