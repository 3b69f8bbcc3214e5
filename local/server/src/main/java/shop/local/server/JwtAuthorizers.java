package shop.local.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.sun.net.httpserver.Headers;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import shop.local.stack.CfnTemplate;
import shop.local.stack.IntrinsicResolver;

/**
 * The HTTP API's JWT authorizers ({@code Auth.Authorizers} of the template's HttpApi), enforced
 * as API Gateway does before any function runs: the token from the identity source (alone or
 * after {@code Bearer }), its RSA signature against the issuer's published keys (fetched once
 * and cached), {@code iss} equal to the configured issuer, {@code aud} (or, when a token has no
 * {@code aud}, {@code client_id}) in the audience list, {@code exp} in the future, {@code nbf}
 * and {@code iat} not in the future, and one of the route's scopes if it names any. What
 * passes becomes {@code requestContext.authorizer.jwt} in the event, every claim a string.
 *
 * <p>A Cognito issuer ({@code https://cognito-idp.<region>.amazonaws.com/<pool id>}) is served
 * by the local Cognito: its keys are fetched there. Local only: never deployed.
 */
final class JwtAuthorizers {

    private static final Pattern COGNITO_ISSUER = Pattern.compile("https://cognito-idp\\.[a-z0-9-]+\\.amazonaws\\.com/(.+)");
    private static final String HEADER_SOURCE = "$request.header.";

    /** What the authorizer decided. */
    sealed interface Outcome permits Allowed, Denied {}

    /** The verified claims (strings, as API Gateway hands them over) and the token's scopes. */
    record Allowed(Map<String, String> claims, List<String> scopes) implements Outcome {}

    /** API Gateway's own answer: 401 (no or bad token) or 403 (no required scope), body {"message":...}. */
    record Denied(int status, String message, String wwwAuthenticate) implements Outcome {}

    private record Authorizer(String name, String header, String issuer, List<String> audience,
                              DefaultJWTProcessor<SecurityContext> processor) {}

    private final Map<String, Authorizer> authorizers;

    private JwtAuthorizers(Map<String, Authorizer> authorizers) {
        this.authorizers = authorizers;
    }

    /**
     * The template's JWT authorizers, resolved. {@code cognitoEndpoint} is where the local
     * Cognito answers (its keys are at {@code <endpoint>/<pool id>/.well-known/jwks.json}).
     */
    static JwtAuthorizers from(CfnTemplate template, IntrinsicResolver resolver, Function<String, URI> jwksOfIssuer,
                               Clock clock) {
        Map<String, Authorizer> result = new LinkedHashMap<>();
        template.httpApiAuthorizers().forEach((name, definition) -> {
            if (!(definition.get("JwtConfiguration") instanceof Map<?, ?> config)) {
                throw new IllegalStateException("Authorizer " + name + " in " + template.file()
                        + " is not a JWT authorizer; the local server emulates only those");
            }
            String source = String.valueOf(definition.getOrDefault("IdentitySource", "$request.header.Authorization"));
            if (!source.startsWith(HEADER_SOURCE)) {
                throw new IllegalStateException("Authorizer " + name + ": identity source " + source
                        + " is not a header; the local server reads tokens from headers only");
            }
            String issuer = resolver.resolveString(config.get("issuer"));
            Object audience = resolver.resolve(config.get("audience"));
            List<String> audiences = audience instanceof Collection<?> list
                    ? list.stream().map(String::valueOf).toList() : List.of(String.valueOf(audience));
            result.put(name, new Authorizer(name, source.substring(HEADER_SOURCE.length()).toLowerCase(Locale.ROOT),
                    issuer, audiences, processor(jwksOfIssuer.apply(issuer), issuer, audiences, clock)));
        });
        return new JwtAuthorizers(result);
    }

    /** Where the keys of a Cognito issuer are served by the local Cognito at {@code endpoint}. */
    static URI cognitoJwks(URI endpoint, String issuer) {
        Matcher matcher = COGNITO_ISSUER.matcher(issuer);
        if (!matcher.matches()) {
            throw new IllegalStateException("Issuer " + issuer + " is not a Cognito user pool; the local server"
                    + " serves only those (a JWT authorizer on another identity provider needs that provider)");
        }
        return URI.create(endpoint.toString().replaceAll("/$", "") + "/" + matcher.group(1) + "/.well-known/jwks.json");
    }

    boolean defines(String name) {
        return authorizers.containsKey(name);
    }

    Set<String> names() {
        return authorizers.keySet();
    }

    /** Decides a request to a route protected by {@code name} that requires one of {@code scopes} (none: any). */
    Outcome authorize(String name, List<String> scopes, Headers headers) {
        Authorizer authorizer = authorizers.get(name);
        if (authorizer == null) {
            throw new IllegalStateException("No authorizer " + name);
        }
        String value = headers.getFirst(authorizer.header());
        if (value == null || value.isBlank()) {
            return new Denied(401, "Unauthorized", "Bearer");
        }
        String token = value.strip();
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7).strip();
        }
        JWTClaimsSet claims;
        try {
            claims = authorizer.processor().process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            return invalid(e.getMessage());
        } catch (RuntimeException e) { // a malformed token can trip the parser in other ways
            return invalid("the token could not be parsed");
        }
        List<String> tokenScopes = scopes(claims);
        if (!scopes.isEmpty() && tokenScopes.stream().noneMatch(scopes::contains)) {
            return new Denied(403, "Forbidden", "Bearer scope=\"" + String.join(" ", scopes)
                    + "\" error=\"insufficient_scope\" error_description=\"the token does not have the required scopes\"");
        }
        return new Allowed(stringClaims(claims), tokenScopes);
    }

    private static Denied invalid(String why) {
        String description = why == null ? "invalid token" : why.replace("\"", "'");
        return new Denied(401, "Unauthorized", "Bearer scope=\"\" error=\"invalid_token\" error_description=\""
                + description + "\"");
    }

    private static DefaultJWTProcessor<SecurityContext> processor(URI jwks, String issuer, List<String> audience,
                                                                  Clock clock) {
        JWKSource<SecurityContext> keys;
        try {
            // Cached, as API Gateway caches the issuer's keys; an unknown key id refetches them.
            keys = JWKSourceBuilder.<SecurityContext>create(jwks.toURL()).retrying(false).build();
        } catch (MalformedURLException e) {
            throw new IllegalStateException("JWKS URL " + jwks, e);
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        // API Gateway: "only RSA-based algorithms are supported".
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512), keys));
        processor.setJWTClaimsSetVerifier((claims, context) -> verifyClaims(claims, issuer, audience, clock.instant()));
        return processor;
    }

    private static void verifyClaims(JWTClaimsSet claims, String issuer, List<String> allowed, Instant now)
            throws BadJWTException {
        if (!issuer.equals(claims.getIssuer())) {
            throw new BadJWTException("the token does not have a valid issuer");
        }
        List<String> audience = claims.getAudience();
        boolean audienceOk;
        if (audience != null && !audience.isEmpty()) { // aud wins when both are there
            audienceOk = audience.stream().anyMatch(allowed::contains);
        } else {
            Object clientId = claims.getClaim("client_id");
            audienceOk = clientId instanceof String id && allowed.contains(id);
        }
        if (!audienceOk) {
            throw new BadJWTException("the token does not have a valid audience");
        }
        Date exp = claims.getExpirationTime();
        if (exp == null || !exp.toInstant().isAfter(now)) {
            throw new BadJWTException("the token has expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now)) {
            throw new BadJWTException("the token is not valid yet");
        }
        Date iat = claims.getIssueTime();
        if (iat != null && iat.toInstant().isAfter(now)) {
            throw new BadJWTException("the token was issued in the future");
        }
    }

    /** {@code scope} (space-separated, OAuth 2.0) or {@code scp} (a list or a string). */
    private static List<String> scopes(JWTClaimsSet claims) {
        Object scope = claims.getClaim("scope");
        if (scope == null) {
            scope = claims.getClaim("scp");
        }
        if (scope instanceof Collection<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        if (scope instanceof String text && !text.isBlank()) {
            return Arrays.stream(text.trim().split("\\s+")).toList();
        }
        return List.of();
    }

    /**
     * Every claim as a string, as API Gateway hands them over: numbers in decimal, an array as
     * {@code [a b]}, an object as {@code map[k:v]} (Go's formatting, which API Gateway shows).
     */
    static Map<String, String> stringClaims(JWTClaimsSet claims) {
        Map<String, String> result = new LinkedHashMap<>();
        claims.toJSONObject().forEach((name, value) -> {
            if (value != null) {
                result.put(name, text(value));
            }
        });
        return result;
    }

    private static String text(Object value) {
        if (value instanceof Collection<?> list) {
            return list.stream().map(JwtAuthorizers::text).collect(Collectors.joining(" ", "[", "]"));
        }
        if (value instanceof Map<?, ?> map) {
            return new TreeMap<>(map).entrySet().stream().map(e -> e.getKey() + ":" + text(e.getValue()))
                    .collect(Collectors.joining(" ", "map[", "]"));
        }
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return String.valueOf(d.longValue());
        }
        return String.valueOf(value);
    }

    Optional<String> issuer(String name) {
        return Optional.ofNullable(authorizers.get(name)).map(Authorizer::issuer);
    }
}
