package io.switchboard.widget;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Lets the widget call the public API from the tenant's own site. The browser is told it may
 * read responses from whatever origin asked; whether that origin may use the tenant's widget is
 * decided on every call by {@link WidgetAccess} (403 otherwise). No cookies are involved, so no
 * credentials are allowed. Only the widget paths: the admin API stays same-origin.
 */
public class WidgetCors {

    private static final String WIDGET_PATHS = "/api/v1/widget/";

    @ServerRequestFilter(preMatching = true)
    public Response preflight(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if (origin == null
                || !"OPTIONS".equals(request.getMethod())
                || !request.getUriInfo().getPath().startsWith(WIDGET_PATHS)) {
            return null;
        }
        return Response.noContent()
                .header("Access-Control-Allow-Origin", origin)
                .header("Access-Control-Allow-Methods", "GET, POST")
                .header("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept")
                .header("Access-Control-Max-Age", "600")
                .header("Vary", "Origin")
                .build();
    }

    @ServerResponseFilter
    public void allowOrigin(ContainerRequestContext request, ContainerResponseContext response) {
        String origin = request.getHeaderString("Origin");
        if (origin != null && request.getUriInfo().getPath().startsWith(WIDGET_PATHS)) {
            response.getHeaders().putSingle("Access-Control-Allow-Origin", origin);
            response.getHeaders().add("Vary", "Origin");
        }
    }
}
