package io.switchboard.tenant;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.switchboard.platform.CrossSiteRequests;
import io.switchboard.platform.TenantScope;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Built-in accounts behind Quarkus' own HTTP Basic (API) and form login (console) mechanisms:
 * the password is checked here, and a form-login session cookie names an account that is looked
 * up again, so a removed account or a changed role takes effect without waiting for the cookie.
 */
public final class AccountAuthentication {

    private AccountAuthentication() {}

    /** Username and password, from HTTP Basic or the console's login form. */
    @ApplicationScoped
    public static class PasswordIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

        private final AccountService accounts;
        private final LoginLimits limits;
        private final SessionBinding sessions;

        public PasswordIdentityProvider(AccountService accounts, LoginLimits limits, SessionBinding sessions) {
            this.accounts = accounts;
            this.limits = limits;
            this.sessions = sessions;
        }

        @Override
        public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
            return UsernamePasswordAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(
                UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
            String username = request.getUsername();
            String password = new String(request.getPassword().getPassword());
            RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
            String address = http == null || http.request().remoteAddress() == null
                    ? null
                    : http.request().remoteAddress().hostAddress();
            // bcrypt takes tens of milliseconds: a password checked recently is answered without it, on the I/O thread.
            return accounts.recentlyLoggedIn(username, password)
                    .map(caller -> Uni.createFrom().item(opened(http, caller)))
                    .orElseGet(() -> context.runBlocking(() -> limits.check(
                                    username,
                                    address,
                                    () -> TenantScope.asPlatform(
                                            "credential check", () -> accounts.login(username, password, address)))
                            .map(caller -> opened(http, caller))
                            .orElse(null)));
        }

        /** The identity; a console login also gets its session bound to this password. */
        private SecurityIdentity opened(RoutingContext http, Caller caller) {
            if (http != null && CrossSiteRequests.LOGIN_PATH.equals(http.normalizedPath())) {
                sessions.bind(http, caller);
            }
            return caller.toIdentity();
        }
    }

    /** The account named by a valid form-login session cookie. */
    @ApplicationScoped
    public static class SessionIdentityProvider implements IdentityProvider<TrustedAuthenticationRequest> {

        private final AccountService accounts;
        private final SessionBinding sessions;

        public SessionIdentityProvider(AccountService accounts, SessionBinding sessions) {
            this.accounts = accounts;
            this.sessions = sessions;
        }

        @Override
        public Class<TrustedAuthenticationRequest> getRequestType() {
            return TrustedAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(
                TrustedAuthenticationRequest request, AuthenticationRequestContext context) {
            String username = request.getPrincipal();
            // A session opens only with the password it was opened with: a changed password ends it.
            Optional<SessionBinding.Binding> binding = sessions.of(
                            HttpSecurityUtils.getRoutingContextAttribute(request))
                    .filter(bound -> bound.username().equals(username));
            if (binding.isEmpty()) {
                return Uni.createFrom().nullItem();
            }
            return accounts.recentlyKnown(username)
                    .map(caller -> Uni.createFrom().item(stillBound(caller, binding.get())))
                    .orElseGet(() -> context.runBlocking(
                            () -> TenantScope.asPlatform("credential check", () -> accounts.known(username))
                                    .map(caller -> stillBound(caller, binding.get()))
                                    .orElse(null)));
        }

        private static SecurityIdentity stillBound(Caller caller, SessionBinding.Binding binding) {
            return Integer.valueOf(binding.credentialsVersion()).equals(caller.credentialsVersion())
                    ? caller.toIdentity()
                    : null;
        }
    }
}
