package io.switchboard.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.action.ActionDefinitions;
import io.switchboard.admin.ConversationResource;
import io.switchboard.conversation.ContactErasure;
import io.switchboard.conversation.ConversationFilter;
import io.switchboard.conversation.ConversationState;
import io.switchboard.conversation.ConversationSummary;
import io.switchboard.conversation.Transcript;
import io.switchboard.conversation.TranscriptMessage;
import io.switchboard.conversation.Transcripts;
import io.switchboard.platform.ProblemException;
import io.switchboard.tenant.CurrentTenant;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
import io.switchboard.tenant.TenantSettings;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Transcripts for agents and admins: search conversations by state, model, start day,
 * escalation reason, text and quality grade; read one with each message's provenance (model, provider,
 * tokens, cost, latency, citations); and, for tenant admins, export it as JSON or CSV and erase a
 * contact with everything they said. The same ConversationService calls as the admin API, so
 * exports and erasures land in the audit log the same way.
 */
@Path("/console/t/{tenant}/conversations")
@Produces(MediaType.TEXT_HTML)
@ForTenant(Role.TENANT_ADMIN)
public class TranscriptsPage {

    private static final int PAGE = 50;

    private static final List<String> GRADES = List.of("good", "fair", "poor");

    /** The search form's values as typed; {@code problem} says which one could not be read. */
    public record Search(
            String state,
            String model,
            String from,
            String to,
            String reason,
            String text,
            String grade,
            String channel,
            String problem) {

        /** The query string of this search, to carry it to the next page. */
        public String query() {
            return "state=" + encode(state) + "&model=" + encode(model) + "&from=" + encode(from) + "&to=" + encode(to)
                    + "&reason=" + encode(reason) + "&q=" + encode(text) + "&grade=" + encode(grade)
                    + "&channel=" + encode(channel);
        }

        private static String encode(String value) {
            return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance conversations(
                TenantSettings tenant,
                String username,
                Search search,
                List<String> states,
                List<String> grades,
                List<ConversationSummary> conversations,
                Long next,
                boolean admin,
                String notice);

        static native TemplateInstance transcript(
                TenantSettings tenant, String username, Transcript transcript, List<Entry> entries, boolean admin);

        static native TemplateInstance erase(TenantSettings tenant, String username, ConversationSummary conversation);
    }

    /** One line of a transcript as agents read it: a message, or a call the bot made to one of the tenant's actions. */
    public record Entry(TranscriptMessage message, ActionDefinitions.CallView call) {}

    private final CurrentTenant current;
    private final ContactErasure erasure;
    private final Transcripts transcripts;
    private final SecurityIdentity identity;
    private final ActionDefinitions actions;

    public TranscriptsPage(
            CurrentTenant current,
            ContactErasure erasure,
            Transcripts transcripts,
            SecurityIdentity identity,
            ActionDefinitions actions) {
        this.current = current;
        this.erasure = erasure;
        this.transcripts = transcripts;
        this.identity = identity;
        this.actions = actions;
    }

    @GET
    @ForTenant({Role.AGENT, Role.TENANT_ADMIN})
    public TemplateInstance search(
            @QueryParam("state") String state,
            @QueryParam("model") String model,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("reason") String reason,
            @QueryParam("q") String text,
            @QueryParam("grade") String grade,
            @QueryParam("channel") String channel,
            @QueryParam("before") Long before,
            @QueryParam("notice") String notice) {
        TenantSettings tenant = current.get();
        Search typed = new Search(
                blank(state),
                blank(model),
                blank(from),
                blank(to),
                blank(reason),
                blank(text),
                blank(grade),
                blank(channel),
                null);
        ConversationFilter filter;
        try {
            filter = new ConversationFilter(
                    typed.state().isEmpty() ? null : ConversationState.valueOf(typed.state()),
                    limited(typed.model(), 300),
                    day(typed.from()),
                    day(typed.to()),
                    limited(typed.reason(), 40),
                    limited(typed.text(), 200),
                    grade(typed.grade()),
                    limited(typed.channel(), 40),
                    before);
        } catch (IllegalArgumentException | DateTimeParseException unreadable) {
            Search refused = new Search(
                    typed.state(),
                    typed.model(),
                    typed.from(),
                    typed.to(),
                    typed.reason(),
                    typed.text(),
                    typed.grade(),
                    typed.channel(),
                    "Dates are written 2026-11-29, and the state and the grade must be one of the list.");
            return Templates.conversations(
                    tenant, username(), refused, states(), GRADES, List.of(), null, admin(), notice);
        }
        List<ConversationSummary> page = transcripts.search(filter, PAGE + 1);
        Long next = page.size() > PAGE ? page.get(PAGE - 1).number() : null;
        return Templates.conversations(
                tenant,
                username(),
                typed,
                states(),
                GRADES,
                page.stream().limit(PAGE).toList(),
                next,
                admin(),
                notice);
    }

    @GET
    @Path("{id}")
    @ForTenant({Role.AGENT, Role.TENANT_ADMIN})
    public TemplateInstance transcript(@PathParam("id") UUID id) {
        Transcript transcript = transcriptOf(id);
        return Templates.transcript(current.get(), username(), transcript, entries(transcript), admin());
    }

    @GET
    @Path("{id}/export.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response exportJson(@PathParam("id") UUID id) {
        return ConversationResource.download(exported(id), false);
    }

    @GET
    @Path("{id}/export.csv")
    @Produces("text/csv")
    public Response exportCsv(@PathParam("id") UUID id) {
        return ConversationResource.download(exported(id), true);
    }

    @GET
    @Path("{id}/erase-contact")
    public TemplateInstance confirmErase(@PathParam("id") UUID id) {
        return Templates.erase(current.get(), username(), transcriptOf(id).conversation());
    }

    @POST
    @Path("{id}/erase-contact")
    public Response erase(@PathParam("id") UUID id) {
        UUID contactId = transcriptOf(id).conversation().contactId();
        ContactErasure.Erased erased = erasure.eraseContact(contactId);
        String notice = "Erased the contact: " + erased.conversations() + " conversation(s) and " + erased.messages()
                + " message(s).";
        return Response.seeOther(UriBuilder.fromPath("/console/t/{tenant}/conversations")
                        .queryParam("notice", notice)
                        .build(current.get().slug()))
                .build();
    }

    private Transcript exported(UUID id) {
        return transcripts.export(id).orElseThrow(() -> ProblemException.notFound("Conversation"));
    }

    private Transcript transcriptOf(UUID id) {
        return transcripts.transcript(id).orElseThrow(() -> ProblemException.notFound("Conversation"));
    }

    /** The messages and the action calls in the order they happened; a call sorts before the reply it led to. */
    private List<Entry> entries(Transcript transcript) {
        List<Entry> entries = new ArrayList<>();
        transcript.messages().forEach(message -> entries.add(new Entry(message, null)));
        actions.callsIn(transcript.conversation().id()).forEach(call -> entries.add(new Entry(null, call)));
        entries.sort(Comparator.comparing(entry -> entry.message() != null
                ? entry.message().createdAt()
                : entry.call().createdAt()));
        return entries;
    }

    private static List<String> states() {
        return Arrays.stream(ConversationState.values()).map(Enum::name).toList();
    }

    private static String blank(String value) {
        return value == null ? "" : value.strip();
    }

    private static String limited(String value, int length) {
        return value.isEmpty() ? null : value.length() > length ? value.substring(0, length) : value;
    }

    private static String grade(String value) {
        if (value.isEmpty()) {
            return null;
        }
        if (!GRADES.contains(value)) {
            throw new IllegalArgumentException("Unknown grade");
        }
        return value;
    }

    private static LocalDate day(String value) {
        return value.isEmpty() ? null : LocalDate.parse(value);
    }

    private boolean admin() {
        return identity.hasRole(Role.TENANT_ADMIN.id()) || identity.hasRole(Role.PLATFORM_ADMIN.id());
    }

    private String username() {
        return identity.getPrincipal().getName();
    }
}
