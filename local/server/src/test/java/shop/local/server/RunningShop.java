package shop.local.server;

import java.net.URI;

/**
 * The backend as the end-to-end tests drive it: template.yaml's functions behind the local API
 * server, the SQS pollers feeding the queue functions, and a customer's and a privacy
 * requester's client for it. Closing stops the pollers before the server.
 */
record RunningShop(LocalApiServer server, SqsPoller pollers, ShopClient shop, PrivacyClient person)
        implements AutoCloseable {

    static RunningShop start(LocalFunctions functions) {
        LocalApiServer server = LocalApiServer.start(functions, 0);
        SqsPoller pollers = SqsPoller.start(functions);
        return new RunningShop(server, pollers, new ShopClient(functions.aws(), server.baseUri()),
                new PrivacyClient(functions.aws(), server.baseUri()));
    }

    URI baseUri() {
        return server.baseUri();
    }

    @Override
    public void close() {
        pollers.close();
        server.close();
    }
}
