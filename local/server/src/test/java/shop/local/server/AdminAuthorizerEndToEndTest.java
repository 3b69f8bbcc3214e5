package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.local.stack.LocalAdmins;

/**
 * The HTTP API's JWT authorizer as API Gateway enforces it, through the local API server and
 * the local Cognito: a missing, forged, tampered, expired, not-yet-valid or wrong-audience token
 * gets 401 {"message":"Unauthorized"} and no function runs; a valid token reaches the handler,
 * which checks the group (staff: 403 on an owners-only route).
 */
@ExtendWith(RunningShopExtension.class)
class AdminAuthorizerEndToEndTest {
    private static final String FUNCTION = "AdminAccountsFunction";

    @ShopFixture private static RunningShop running;
    @ShopFixture private static ShopClient shop;
    @ShopFixture private static LocalFunctions functions;
    private static String staffToken;

    @BeforeAll
    static void start() {
        staffToken = running.adminToken(LocalAdmins.STAFF.username());
    }

    @Test
    void aValidStaffTokenReachesTheHandlerWithItsVerifiedClaims() throws Exception {
        long before = functions.invocations(FUNCTION);
        HttpResponse<String> me = shop.admin("/admin/me", staffToken);
        assertEquals(200, me.statusCode(), me.body());
        var body = ShopClient.json(me);
        assertEquals(LocalAdmins.STAFF.username(), body.get("username").asText());
        assertEquals("[\"staff\"]", body.get("groups").toString());
        assertEquals(before + 1, functions.invocations(FUNCTION));
    }

    @Test
    void theTokenAloneWithoutBearerIsAcceptedToo() throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(running.baseUri().resolve("/admin/me"))
                .header("Authorization", staffToken).GET().build();
        assertEquals(200, shop.http().send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void staffGet403OnAnOwnersOnlyRoute() throws Exception {
        HttpResponse<String> staff = shop.admin("/admin/staff", staffToken);
        assertEquals(403, staff.statusCode(), staff.body());
        assertTrue(staff.body().contains("owners"), staff.body());
    }

    @Test
    void theOwnerSeesTheStaffList() throws Exception {
        HttpResponse<String> staff = shop.admin("/admin/staff", running.adminToken(LocalAdmins.OWNER.username()));
        assertEquals(200, staff.statusCode(), staff.body());
        assertTrue(staff.body().contains("\"username\":\"" + LocalAdmins.STAFF.username() + "\""), staff.body());
    }

    @Test
    void noTokenIs401AndNothingRuns() throws Exception {
        assertRefusedBeforeAnyHandler(null);
        assertRefusedBeforeAnyHandler("");
    }

    @Test
    void aTokenSignedByAnotherKeyIs401() throws Exception {
        RSAKey other = new RSAKeyGenerator(2048).keyID("dummy").generate(); // the kid moto's key has
        JWTClaimsSet claims = JWTClaimsSet.parse(payload(staffToken));
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("dummy").build(), claims);
        forged.sign(new RSASSASigner(other));
        assertRefusedBeforeAnyHandler(forged.serialize());
    }

    @Test
    void aTamperedPayloadIs401() throws Exception {
        String[] parts = staffToken.split("\\.");
        String promoted = payload(staffToken).replace("\"staff\"", "\"owners\"");
        assertTrue(promoted.contains("owners"));
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(promoted.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertRefusedBeforeAnyHandler(tampered);
        assertRefusedBeforeAnyHandler(parts[0] + "." + parts[1] + "."); // signature removed
    }

    @Test
    void anUnsignedOrGarbageTokenIs401() throws Exception {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
        String body = Base64.getUrlEncoder().withoutPadding().encodeToString(payload(staffToken).getBytes());
        assertRefusedBeforeAnyHandler(header + "." + body + ".");
        assertRefusedBeforeAnyHandler("not-a-jwt");
        assertRefusedBeforeAnyHandler("a.b.c");
    }

    @Test
    void aTokenOfAnotherAppClientOfThePoolIs401() throws Exception {
        LocalAdmins admins = running.admins();
        String otherClient = admins.cognito().createUserPoolClient(b -> b.userPoolId(admins.poolId())
                .clientName("another-app-" + UUID.randomUUID()).explicitAuthFlowsWithStrings(
                        "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")).userPoolClient().clientId();
        String token = admins.signIn(otherClient, LocalAdmins.STAFF.username(), LocalAdmins.STAFF.password(),
                admins.totpSecret(LocalAdmins.STAFF.username())).accessToken();
        assertTrue(payload(token).contains(otherClient), "the same pool and user, another client");
        assertRefusedBeforeAnyHandler(token);
    }

    /**
     * moto signs the tokens of every pool with one key (SECURITY.md), so a token of another pool
     * of the same Cognito carries a signature that verifies: only the issuer check stops it. The
     * control shows the key is the issuer's: the staff token re-signed with it, unchanged, passes.
     */
    @Test
    void aTokenSignedWithThePoolsKeyButNamingAnotherIssuerIs401() throws Exception {
        RSAKey poolKey = motoSigningKey();
        JWTClaimsSet claims = JWTClaimsSet.parse(payload(staffToken));
        HttpResponse<String> control = shop.admin("/admin/me", sign(poolKey, claims));
        assertEquals(200, control.statusCode(), control.body());
        String otherPool = claims.getIssuer().replaceAll("/[^/]+$", "/" + running.admins().poolId().split("_")[0]
                + "_AnotherPool");
        assertTrue(!otherPool.equals(claims.getIssuer()), otherPool);
        assertRefusedBeforeAnyHandler(sign(poolKey, new JWTClaimsSet.Builder(claims).issuer(otherPool).build()));
        assertRefusedBeforeAnyHandler(sign(poolKey, new JWTClaimsSet.Builder(claims).issuer(null).build()));
    }

    @Test
    void anExpiredTokenIs401() throws Exception {
        // The same real token, presented after its expiry (moto's tokens live an hour).
        try (LocalApiServer later = LocalApiServer.start(functions, 0,
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(61)))) {
            assertRefusedBeforeAnyHandler(new ShopClient(functions.aws(), later.baseUri()), staffToken);
        }
    }

    @Test
    void aTokenIssuedInTheFutureIs401() throws Exception {
        try (LocalApiServer earlier = LocalApiServer.start(functions, 0,
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)))) {
            assertRefusedBeforeAnyHandler(new ShopClient(functions.aws(), earlier.baseUri()), staffToken);
        }
    }

    private static void assertRefusedBeforeAnyHandler(String token) throws Exception {
        assertRefusedBeforeAnyHandler(shop, token);
    }

    private static void assertRefusedBeforeAnyHandler(ShopClient client, String token) throws Exception {
        for (String[] route : List.of(new String[] {"GET", "/admin/me"}, new String[] {"GET", "/admin/staff"},
                new String[] {"POST", "/admin/staff"}, new String[] {"DELETE", "/admin/staff/" + LocalAdmins.STAFF.username()})) {
            long before = functions.invocations(FUNCTION);
            HttpResponse<String> response = client.admin(route[0], route[1], token,
                    route[0].equals("POST") ? "{\"email\":\"intruder@example.com\"}" : null);
            assertEquals(401, response.statusCode(), route[0] + " " + route[1] + ": " + response.body());
            assertEquals("{\"message\":\"Unauthorized\"}", response.body());
            assertTrue(response.headers().firstValue("www-authenticate").orElse("").startsWith("Bearer"),
                    response.headers().map().toString());
            assertEquals(before, functions.invocations(FUNCTION), "no handler ran for " + route[1]);
        }
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        token.sign(new RSASSASigner(key));
        return token.serialize();
    }

    /** The private key moto's Cognito signs with, from moto's own package (published in its source). */
    private static RSAKey motoSigningKey() throws Exception {
        Process python = new ProcessBuilder(System.getenv().getOrDefault("SHOP_PYTHON", "python3"), "-c",
                "import gzip, os, moto.cognitoidp as c; print(gzip.open(os.path.join(os.path.dirname(c.__file__),"
                        + " 'resources', 'jwks-private.json.gz')).read().decode())").redirectErrorStream(true).start();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!python.waitFor(30, TimeUnit.SECONDS) || python.exitValue() != 0) {
            throw new IOException("could not read moto's signing key: " + out);
        }
        return RSAKey.parse(out.strip());
    }

    private static String payload(String jwt) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    }
}
