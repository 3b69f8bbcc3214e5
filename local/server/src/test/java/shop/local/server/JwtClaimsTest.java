package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Claims reach the function as API Gateway hands them over: every value a string. */
class JwtClaimsTest {

    @Test
    void everyClaimIsAStringArraysBracketedAndSpaceSeparated() {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject("5f0c-1")
                .claim("cognito:groups", List.of("owners", "staff"))
                .claim("scope", "aws.cognito.signin.user.admin")
                .expirationTime(new Date(1_700_000_000_000L))
                .claim("auth_time", 1_699_999_000L)
                .claim("email_verified", true)
                .claim("address", Map.of("b", "2", "a", "1"))
                .build();
        Map<String, String> strings = JwtAuthorizers.stringClaims(claims);
        assertEquals("5f0c-1", strings.get("sub"));
        assertEquals("[owners staff]", strings.get("cognito:groups"));
        assertEquals("1700000000", strings.get("exp"));
        assertEquals("1699999000", strings.get("auth_time"));
        assertEquals("true", strings.get("email_verified"));
        assertEquals("map[a:1 b:2]", strings.get("address"));
    }
}
