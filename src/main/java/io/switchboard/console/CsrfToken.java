package io.switchboard.console;

import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/** The console form's CSRF field, for templates: {@code {inject:csrf.parameterName}} and {@code {inject:csrf.token}}. */
@Named("csrf")
@RequestScoped
public class CsrfToken {

    private final RoutingContext routing;

    public CsrfToken(RoutingContext routing) {
        this.routing = routing;
    }

    public String getParameterName() {
        return ConsoleCsrf.FIELD;
    }

    public String getToken() {
        return routing.get(ConsoleCsrf.TOKEN_KEY);
    }
}
