package shop.local.server;

import java.net.URI;
import shop.local.stack.LocalAdmins;

/**
 * The backend as the end-to-end tests drive it: template.yaml's functions behind the local API
 * server, the SQS pollers feeding the queue functions, and a customer's and a privacy
 * requester's client for it. Closing stops the pollers before the server.
 *
 * <p>Back office: {@link #adminToken(String)} signs a local user ({@link LocalAdmins#OWNER},
 * {@link LocalAdmins#STAFF}) in through the local Cognito (password, then a TOTP code) and
 * returns the access token; {@code shop().admin(...)} sends it as {@code Authorization: Bearer}.
 */
record RunningShop(LocalApiServer server, SqsPoller pollers, ShopClient shop, PrivacyClient person,
                   LocalFunctions functions) implements AutoCloseable {

    static RunningShop start(LocalFunctions functions) {
        return start(functions, 0);
    }

    /** On {@code port} (0: any free one), for tests whose StorefrontOrigin must name the port. */
    static RunningShop start(LocalFunctions functions, int port) {
        LocalApiServer server = LocalApiServer.start(functions, port);
        SqsPoller pollers = SqsPoller.start(functions);
        return new RunningShop(server, pollers, new ShopClient(functions.aws(), server.baseUri()),
                new PrivacyClient(functions.aws(), server.baseUri()), functions);
    }

    URI baseUri() {
        return server.baseUri();
    }

    /** The local back-office users: owner and staff, their pool and client, sign-in. */
    LocalAdmins admins() {
        return functions.aws().admins();
    }

    /**
     * Signs {@code username} (e.g. {@code LocalAdmins.OWNER.username()}) in as the admin page
     * does, USER_PASSWORD_AUTH then the SOFTWARE_TOKEN_MFA challenge with a computed code, and
     * returns the access token the API's authorizer takes.
     */
    String adminToken(String username) {
        return admins().signIn(username).accessToken();
    }

    @Override
    public void close() {
        pollers.close();
        server.close();
    }
}
