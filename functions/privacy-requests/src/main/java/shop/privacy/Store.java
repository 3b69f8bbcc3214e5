package shop.privacy;

/**
 * The places personal data lives, named as in template.yaml (Stripe excepted): the audit trail
 * records which of them each step read or changed.
 */
public enum Store {
    SUBSCRIBERS("SubscribersTable"),
    ORDERS("OrdersTable"),
    CHECKOUTS("CheckoutsTable"),
    PRIVACY_REQUESTS("PrivacyRequestsTable"),
    EXPORTS("ExportsBucket"),
    INBOUND_MAIL("InboundMailBucket"),
    VISITS("VisitsTable"),
    ACCOUNTS("CustomerAccountsTable"),
    STRIPE("Stripe");

    private final String logicalName;

    Store(String logicalName) {
        this.logicalName = logicalName;
    }

    public String logicalName() {
        return logicalName;
    }

    /** The store a trail line names. */
    public static Store ofLogicalName(String name) {
        for (Store store : values()) {
            if (store.logicalName.equals(name)) {
                return store;
            }
        }
        throw new IllegalArgumentException("No store is named " + name);
    }
}
