package shop.admin.accounts;

/**
 * A back-office account as the owner sees it in the staff list.
 *
 * @param username the sign-in name (the person's email address: the pool signs in by email)
 * @param subject  Cognito's {@code sub}, stable for the account's life (the audit trail's key)
 * @param status   Cognito's account status: FORCE_CHANGE_PASSWORD until the first sign-in, then CONFIRMED
 * @param enabled  false once disabled
 */
public record StaffMember(String username, String subject, String status, boolean enabled) {
    /** Cognito's status of an account invited and never signed in since. */
    public static final String INVITED = "FORCE_CHANGE_PASSWORD";
}
