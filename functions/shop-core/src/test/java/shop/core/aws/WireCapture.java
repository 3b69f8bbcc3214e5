package shop.core.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * A local HTTP server (the JDK's) that records every request as it arrived on the wire and
 * answers each with the one scripted {@link Answer}; and, for calls addressed to AWS's own hosts,
 * an {@link SdkHttpClient} that records and answers the same way without sending anything.
 */
final class WireCapture implements AutoCloseable {

    /** A request as received: the raw (still encoded) path and query, header names in lower case. */
    record Request(String method, String host, String rawPath, String rawQuery, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What the server answers. */
    record Answer(int status, Map<String, String> headers, String body) {
        static Answer of(int status, String contentType, String body, String... moreHeaders) {
            Map<String, String> headers = new TreeMap<>();
            if (contentType != null) {
                headers.put("Content-Type", contentType);
            }
            for (int i = 0; i < moreHeaders.length; i += 2) {
                headers.put(moreHeaders[i], moreHeaders[i + 1]);
            }
            return new Answer(status, headers, body);
        }

        byte[] bytes() {
            return body.getBytes(StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile List<Answer> answers = List.of(Answer.of(500, null, ""));

    static {
        // Answers go out as headers and body in two writes; without this each waits for a delayed ACK (40 ms).
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    WireCapture() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The answers to the next requests in turn, the last one to all after it. */
    void answerWith(Answer... next) {
        requests.clear();
        answers = List.of(next);
    }

    private Answer next() {
        return answers.get(Math.min(requests.size() - 1, answers.size() - 1));
    }

    /** What arrived since the last {@link #answerWith}. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Records and answers like the server, in memory: for requests addressed to AWS itself. */
    SdkHttpClient inMemoryClient() {
        return new SdkHttpClient() {
            @Override
            public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
                return new ExecutableHttpRequest() {
                    @Override
                    public HttpExecuteResponse call() throws IOException {
                        var http = request.httpRequest();
                        Map<String, String> headers = new TreeMap<>();
                        http.forEachHeader((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
                        byte[] body = new byte[0];
                        if (request.contentStreamProvider().isPresent()) {
                            try (InputStream in = request.contentStreamProvider().get().newStream()) {
                                body = in.readAllBytes();
                            }
                        }
                        requests.add(new Request(http.method().name(), http.host(), http.encodedPath(),
                                http.getUri().getRawQuery(), headers, body));
                        Answer now = next();
                        var response = SdkHttpResponse.builder().statusCode(now.status());
                        now.headers().forEach(response::putHeader);
                        return HttpExecuteResponse.builder().response(response.build())
                                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(now.bytes()))).build();
                    }

                    @Override
                    public void abort() {
                    }
                };
            }

            @Override
            public void close() {
            }
        };
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                    String.join(",", values)));
            byte[] body = exchange.getRequestBody().readAllBytes();
            URI uri = exchange.getRequestURI();
            requests.add(new Request(exchange.getRequestMethod(), headers.get("host"), uri.getRawPath(), uri.getRawQuery(),
                    headers, body));
            Answer now = next();
            now.headers().forEach(exchange.getResponseHeaders()::add);
            byte[] content = now.bytes();
            exchange.sendResponseHeaders(now.status(), content.length == 0 ? -1 : content.length);
            if (content.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(content);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
