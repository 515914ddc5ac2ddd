package io.switchboard.tenant;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.switchboard.platform.TenantScope;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * {@code Authorization: Bearer sbk_...} on the admin API. Other bearer tokens (a widget's
 * conversation token, later OIDC) are left to other mechanisms.
 */
@Singleton
public class ApiKeyAuthentication implements HttpAuthenticationMechanism {

    private static final String BEARER = "Bearer ";
    private static final String TOKEN_TYPE = "switchboard-api-key";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String authorization = context.request().getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Uni.createFrom().nullItem();
        }
        String token = authorization.substring(BEARER.length()).strip();
        if (!token.startsWith(ApiKeyService.PREFIX)) {
            return Uni.createFrom().nullItem();
        }
        return identityProviderManager.authenticate(
                new TokenAuthenticationRequest(new TokenCredential(token, TOKEN_TYPE)));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    /** Before OIDC, which would take an API key for a malformed token and refuse the call. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 500;
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    /** Checks the key against the database, off the event loop. */
    @Singleton
    public static class KeyIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

        private final ApiKeyService keys;

        public KeyIdentityProvider(ApiKeyService keys) {
            this.keys = keys;
        }

        @Override
        public Class<TokenAuthenticationRequest> getRequestType() {
            return TokenAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(
                TokenAuthenticationRequest request, AuthenticationRequestContext context) {
            if (!TOKEN_TYPE.equals(request.getToken().getType())) {
                return Uni.createFrom().nullItem();
            }
            String secret = request.getToken().getToken();
            // A key checked recently is answered on the I/O thread; only an unknown one costs a database query.
            return keys.recentlyAuthenticated(secret)
                    .map(caller -> Uni.createFrom().item(caller.toIdentity()))
                    .orElseGet(() -> context.runBlocking(
                            () -> TenantScope.asPlatform("credential check", () -> keys.authenticate(secret))
                                    .map(Caller::toIdentity)
                                    .orElse(null)));
        }
    }
}
