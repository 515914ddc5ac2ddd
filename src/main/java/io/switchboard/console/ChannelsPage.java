package io.switchboard.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.channel.ApiChannel;
import io.switchboard.channel.ChannelRequest;
import io.switchboard.channel.ChannelService;
import io.switchboard.channel.ChannelView;
import io.switchboard.events.WebhookService;
import io.switchboard.platform.ProblemException;
import io.switchboard.tenant.CurrentTenant;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
import io.switchboard.tenant.TenantSettings;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The tenant admin's channels: the widget and the API channels beside it with each one's health
 * (its callbacks' deliveries), adding one (its token and signing secret shown once), changing its
 * settings, rotating its token, turning its bot off or on, sending a test callback and deleting
 * it. Everything goes through {@link ChannelService}, so the console accepts what the API accepts.
 */
@Path("/console/t/{tenant}/channels")
@Produces(MediaType.TEXT_HTML)
@ForTenant(Role.TENANT_ADMIN)
public class ChannelsPage {

    private static final int RECENT = 20;

    /** A channel form's values as text. */
    public record ChannelForm(String name, String callbackUrl, String greeting, String awayReply, boolean botAnswers) {

        static ChannelForm empty() {
            return new ChannelForm("", "", "", "", true);
        }

        static ChannelForm of(ChannelView channel) {
            return new ChannelForm(
                    channel.name(),
                    String.valueOf(channel.typeSettings().getOrDefault(CALLBACK_URL, "")),
                    channel.greeting() == null ? "" : channel.greeting(),
                    channel.awayReply() == null ? "" : channel.awayReply(),
                    channel.botAnswers());
        }

        static ChannelForm of(MultivaluedMap<String, String> fields) {
            return new ChannelForm(
                    FormFields.text(fields, "name"),
                    FormFields.text(fields, CALLBACK_URL),
                    FormFields.text(fields, "greeting"),
                    FormFields.text(fields, "awayReply"),
                    fields.containsKey("botAnswers"));
        }

        ChannelRequest request(String type) {
            return new ChannelRequest(type, name, callbackUrl, greeting, awayReply, botAnswers, null);
        }
    }

    /**
     * How a channel's callbacks fare: the newest delivery, the newest of the recent ones that
     * failed, and how many wait for a retry or were given up on.
     */
    public record Health(
            WebhookService.DeliveryView last, WebhookService.DeliveryView lastFailure, long pending, long dead) {}

    /** A listed channel: the implicit widget is the tenant's own and changed with its settings. */
    public record Row(ChannelView channel, boolean implicit, Health health) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance channels(
                TenantSettings tenant, String username, List<Row> rows, String notice, ChannelView created);

        static native TemplateInstance channel(
                TenantSettings tenant,
                String username,
                UUID id,
                ChannelForm form,
                Map<String, String> errors,
                Health health,
                String newToken,
                WebhookService.Attempt test);

        static native TemplateInstance delete(TenantSettings tenant, String username, ChannelView channel);
    }

    private static final String CALLBACK_URL = "callbackUrl";

    private final CurrentTenant current;
    private final ChannelService channels;
    private final Validator validator;
    private final SecurityIdentity identity;

    public ChannelsPage(
            CurrentTenant current, ChannelService channels, Validator validator, SecurityIdentity identity) {
        this.current = current;
        this.channels = channels;
        this.validator = validator;
        this.identity = identity;
    }

    @GET
    public TemplateInstance list(@QueryParam("notice") String notice) {
        return listPage(notice, null);
    }

    @GET
    @Path("new")
    public TemplateInstance newChannel() {
        return editPage(null, ChannelForm.empty(), Map.of(), null, null, null);
    }

    /** The list with the new channel's token and signing secret, shown only here (never put in a redirect's URL). */
    @POST
    @Path("new")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(MultivaluedMap<String, String> fields) {
        ChannelForm form = ChannelForm.of(fields);
        Map<String, String> errors = checked(form.request(ApiChannel.TYPE));
        if (errors.isEmpty()) {
            try {
                ChannelView created = channels.create(form.request(ApiChannel.TYPE));
                return Response.ok(listPage("Added “" + created.name() + "”.", created))
                        .build();
            } catch (ProblemException refused) {
                FormErrors.add(errors, refused, "form");
            }
        }
        return Response.status(422)
                .entity(editPage(null, form, errors, null, null, null))
                .build();
    }

    @GET
    @Path("{id}")
    public TemplateInstance edit(@PathParam("id") UUID id) {
        return editPage(id, ChannelForm.of(added(id)), Map.of(), health(id), null, null);
    }

    @POST
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response update(@PathParam("id") UUID id, MultivaluedMap<String, String> fields) {
        added(id);
        ChannelForm form = ChannelForm.of(fields);
        Map<String, String> errors = checked(form.request(null));
        if (errors.isEmpty()) {
            try {
                ChannelView saved = channels.update(id, form.request(null));
                return backToList("Saved “" + saved.name() + "”.");
            } catch (ProblemException refused) {
                FormErrors.add(errors, refused, "form");
            }
        }
        return Response.status(422)
                .entity(editPage(id, form, errors, health(id), null, null))
                .build();
    }

    /** Lets the bot answer on the channel, or sends every conversation there straight to a person. */
    @POST
    @Path("{id}/bot")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response bot(@PathParam("id") UUID id, @RestForm("botAnswers") boolean botAnswers) {
        ChannelView saved = channels.update(id, new ChannelRequest(null, null, null, null, null, botAnswers, null));
        return backToList((botAnswers ? "The bot answers on “" : "The bot is off on “") + saved.name() + "”.");
    }

    /** A new token, shown once on the channel's page; the old one stops working at once. */
    @POST
    @Path("{id}/token")
    public TemplateInstance rotate(@PathParam("id") UUID id) {
        ChannelView rotated = channels.update(id, new ChannelRequest(null, null, null, null, null, null, true));
        return editPage(
                id,
                ChannelForm.of(rotated),
                Map.of(),
                health(id),
                rotated.credentials().get("token"),
                null);
    }

    /** Posts a signed test callback now and shows how it went beside the channel's settings. */
    @POST
    @Path("{id}/test")
    public TemplateInstance test(@PathParam("id") UUID id) {
        ChannelForm form = ChannelForm.of(added(id));
        WebhookService.Attempt test = channels.sendTest(id).orElse(null);
        return editPage(id, form, Map.of(), health(id), null, test);
    }

    @GET
    @Path("{id}/delete")
    public TemplateInstance confirmDelete(@PathParam("id") UUID id) {
        return Templates.delete(current.get(), username(), added(id));
    }

    @POST
    @Path("{id}/delete")
    public Response delete(@PathParam("id") UUID id) {
        ChannelView channel = added(id);
        channels.delete(id);
        return backToList("Deleted “" + channel.name() + "”; its token no longer works.");
    }

    private TemplateInstance listPage(String notice, ChannelView created) {
        UUID tenantId = current.get().id();
        List<Row> rows = channels.list().stream()
                .map(channel -> {
                    boolean implicit = channel.id().equals(tenantId);
                    return new Row(channel, implicit, implicit ? null : health(channel.id()));
                })
                .toList();
        return Templates.channels(current.get(), username(), rows, notice, created);
    }

    private TemplateInstance editPage(
            UUID id,
            ChannelForm form,
            Map<String, String> errors,
            Health health,
            String newToken,
            WebhookService.Attempt test) {
        return Templates.channel(current.get(), username(), id, form, errors, health, newToken, test);
    }

    private Health health(UUID id) {
        List<WebhookService.DeliveryView> recent = channels.deliveries(id, null, RECENT);
        Map<String, Long> counts = channels.deliveryCounts(id);
        return new Health(
                recent.isEmpty() ? null : recent.get(0),
                recent.stream()
                        .filter(delivery -> delivery.lastError() != null)
                        .findFirst()
                        .orElse(null),
                counts.getOrDefault("pending", 0L),
                counts.getOrDefault("dead", 0L));
    }

    /** A channel the tenant added; 404 for another tenant's, and for the widget, whose settings are the tenant's. */
    private ChannelView added(UUID id) {
        ChannelView channel = channels.get(id);
        if (channel.id().equals(current.get().id())) {
            throw new jakarta.ws.rs.NotFoundException();
        }
        return channel;
    }

    private Map<String, String> checked(ChannelRequest request) {
        return new LinkedHashMap<>(FormErrors.of(validator.validate(request), path -> path));
    }

    private Response backToList(String notice) {
        return Response.seeOther(UriBuilder.fromPath("/console/t/{tenant}/channels")
                        .queryParam("notice", notice)
                        .build(current.get().slug()))
                .build();
    }

    private String username() {
        return identity.getPrincipal().getName();
    }
}
