package shop.core.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signature Version 4 recomputed from a request as it arrived, written from AWS's published
 * algorithm rather than with the SDK's signer, so that it checks the signer's inputs too: a
 * request signed for the wrong service, region, path encoding, header value or body does not
 * verify here.
 */
final class SigV4Check {
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";

    /** The parts of a signature: from the Authorization header, or from the query of a presigned URL. */
    record Signature(String accessKey, String date, String region, String service, List<String> signedHeaders,
                     String amzDate, String value) {
        String scope() {
            return date + "/" + region + "/" + service + "/aws4_request";
        }
    }

    private SigV4Check() {
    }

    static Signature of(WireCapture.Request request) {
        String authorization = request.header("authorization");
        Map<String, String> parts = new TreeMap<>();
        String amzDate;
        if (authorization != null) {
            assertEquals(ALGORITHM, authorization.substring(0, authorization.indexOf(' ')), authorization);
            for (String part : authorization.substring(authorization.indexOf(' ') + 1).split(",")) {
                String[] nameValue = part.strip().split("=", 2);
                parts.put(nameValue[0], nameValue[1]);
            }
            amzDate = request.header("x-amz-date");
        } else {
            Map<String, String> query = query(request.rawQuery());
            assertEquals(ALGORITHM, query.get("X-Amz-Algorithm"), "neither an Authorization header nor a presigned query");
            parts.put("Credential", query.get("X-Amz-Credential"));
            parts.put("SignedHeaders", query.get("X-Amz-SignedHeaders"));
            parts.put("Signature", query.get("X-Amz-Signature"));
            amzDate = query.get("X-Amz-Date");
        }
        assertNotNull(amzDate, "X-Amz-Date");
        String[] credential = parts.get("Credential").split("/");
        assertEquals(5, credential.length, parts.get("Credential"));
        assertEquals("aws4_request", credential[4]);
        return new Signature(credential[0], credential[1], credential[2], credential[3],
                List.of(parts.get("SignedHeaders").split(";")), amzDate, parts.get("Signature"));
    }

    /**
     * Asserts the request carries a valid signature by {@code secret} for {@code region} and
     * {@code service}. S3 signs the path as sent and names the payload's hash in
     * x-amz-content-sha256; every other service signs the path encoded once more.
     */
    static void assertValid(WireCapture.Request request, String accessKey, String secret, String region, String service) {
        Signature signature = of(request);
        boolean s3 = service.equals("s3");
        boolean presigned = request.header("authorization") == null;
        assertEquals(accessKey, signature.accessKey());
        assertEquals(signature.amzDate().substring(0, 8), signature.date(), "the scope's date is the signing date");

        // S3 needs x-amz-content-sha256; others get it too. It is the body's hash, or says the body is
        // not signed (UNSIGNED-PAYLOAD) or signed chunk by chunk (STREAMING-...), which S3 checks apart.
        String declared = request.header("x-amz-content-sha256");
        if (s3 && !presigned) {
            assertNotNull(declared, "S3 needs x-amz-content-sha256");
        }
        String payloadHash = presigned ? "UNSIGNED-PAYLOAD" : hex(sha256(request.body()));
        if (declared != null && !presigned) {
            if (declared.equals("UNSIGNED-PAYLOAD") || declared.startsWith("STREAMING-")) {
                payloadHash = declared;
            } else {
                assertEquals(payloadHash, declared, "x-amz-content-sha256 is the body's hash");
            }
        }
        String canonicalQuery = query(request.rawQuery()).entrySet().stream()
                .filter(e -> !e.getKey().equals("X-Amz-Signature"))
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .sorted()
                .collect(Collectors.joining("&"));
        String canonicalHeaders = signature.signedHeaders().stream()
                .map(name -> {
                    String value = request.header(name);
                    assertNotNull(value, "signed header " + name + " was sent");
                    return name + ":" + value.strip().replaceAll(" +", " ") + "\n";
                })
                .collect(Collectors.joining());
        String canonicalRequest = String.join("\n", request.method(),
                s3 ? request.rawPath() : encodeSegments(request.rawPath()),
                canonicalQuery, canonicalHeaders, String.join(";", signature.signedHeaders()), payloadHash);
        String scope = signature.date() + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = String.join("\n", ALGORITHM, signature.amzDate(), scope,
                hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8))));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), signature.date());
        for (String step : List.of(region, service, "aws4_request")) {
            key = hmac(key, step);
        }
        assertEquals(hex(hmac(key, stringToSign)), signature.value(),
                () -> "signature of " + request.method() + " " + request.rawPath() + " over\n" + canonicalRequest);
    }

    /** Names and values decoded; a presigned URL's and an API's query never repeat a name. */
    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new TreeMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                String[] nameValue = pair.split("=", 2);
                query.put(decode(nameValue[0]), nameValue.length == 2 ? decode(nameValue[1]) : "");
            }
        }
        return query;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String encodeSegments(String path) {
        return Arrays.stream(path.split("/", -1)).map(SigV4Check::encode).collect(Collectors.joining("/"));
    }

    /** RFC 3986 unreserved characters stay, every other byte is %XX in upper case. */
    private static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
