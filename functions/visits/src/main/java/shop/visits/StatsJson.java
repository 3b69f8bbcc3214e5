package shop.visits;

/** The JSON shape of one day: {@code {"date","visitors","pageViews","orders"}}. */
record StatsJson(String date, long visitors, long pageViews, long orders) {
    static StatsJson of(DailyStats day) {
        return new StatsJson(day.date().toString(), day.visitors(), day.pageViews(), day.orders());
    }
}
