package io.switchboard.tenant;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Built-in accounts behind Quarkus' own HTTP Basic (API) and form login (console) mechanisms:
 * the password is checked here, and a form-login session cookie names an account that is looked
 * up again, so a removed account or a changed role takes effect without waiting for the cookie.
 */
public final class AccountAuthentication {

    private AccountAuthentication() {
    }

    /** Username and password, from HTTP Basic or the console's login form. */
    @ApplicationScoped
    public static class PasswordIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

        private final AccountService accounts;
        private final LoginLimits limits;

        public PasswordIdentityProvider(AccountService accounts, LoginLimits limits) {
            this.accounts = accounts;
            this.limits = limits;
        }

        @Override
        public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
            return UsernamePasswordAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
            String username = request.getUsername();
            String password = new String(request.getPassword().getPassword());
            RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
            String address = http == null || http.request().remoteAddress() == null ? null : http.request().remoteAddress().hostAddress();
            // bcrypt takes tens of milliseconds: a password checked recently is answered without it, on the I/O thread.
            return accounts.recentlyLoggedIn(username, password)
                    .map(caller -> Uni.createFrom().item(caller.toIdentity()))
                    .orElseGet(() -> context.runBlocking(() -> limits.check(username, address, () -> TenantScope.asPlatform(
                            "credential check", () -> accounts.login(username, password, address))).map(Caller::toIdentity).orElse(null)));
        }
    }

    /** The account named by a valid form-login session cookie. */
    @ApplicationScoped
    public static class SessionIdentityProvider implements IdentityProvider<TrustedAuthenticationRequest> {

        private final AccountService accounts;

        public SessionIdentityProvider(AccountService accounts) {
            this.accounts = accounts;
        }

        @Override
        public Class<TrustedAuthenticationRequest> getRequestType() {
            return TrustedAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request, AuthenticationRequestContext context) {
            String username = request.getPrincipal();
            return accounts.recentlyKnown(username)
                    .map(caller -> Uni.createFrom().item(caller.toIdentity()))
                    .orElseGet(() -> context.runBlocking(() -> TenantScope.asPlatform("credential check",
                            () -> accounts.known(username)).map(Caller::toIdentity).orElse(null)));
        }
    }
}
