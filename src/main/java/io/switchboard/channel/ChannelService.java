package io.switchboard.channel;

import io.switchboard.conversation.ChannelRef;
import io.switchboard.events.WebhookService;
import io.switchboard.handoff.ChannelNotices;
import io.switchboard.platform.AuditLog;
import io.switchboard.platform.Problem;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.platform.ScopedConnections;
import io.switchboard.platform.Secrets;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantService;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * A tenant's channels: its implicit widget and the channels it adds, their settings that
 * override the tenant's, and the bearer tokens that let a tenant's server post into one.
 */
@ApplicationScoped
public class ChannelService implements ChannelNotices {

    private static final Logger LOG = Logger.getLogger(ChannelService.class);
    public static final int MAX_CHANNELS_PER_TENANT = 50;

    /**
     * What a conversation on a channel goes by: the channel, the greeting to use (null: the
     * tenant's), and whether the bot answers there at all.
     */
    public record Settings(ChannelRef channel, String greeting, boolean botAnswers) {}

    private final ChannelRepository channels;
    private final ChannelTypes types;
    private final TenantService tenants;
    private final WebhookService webhooks;
    private final ScopedConnections connections;
    private final AuditLog audit;

    public ChannelService(
            ChannelRepository channels,
            ChannelTypes types,
            TenantService tenants,
            WebhookService webhooks,
            ScopedConnections connections,
            AuditLog audit) {
        this.channels = channels;
        this.types = types;
        this.tenants = tenants;
        this.webhooks = webhooks;
        this.connections = connections;
        this.audit = audit;
    }

    @Transactional
    public List<ChannelView> list() {
        return Stream.concat(
                        implicitChannels().stream(),
                        channels.oldestFirst().stream().map(channel -> view(channel, Map.of())))
                .toList();
    }

    @Transactional
    public ChannelView get(UUID id) {
        return implicitChannels().stream()
                .filter(channel -> channel.id().equals(id))
                .findFirst()
                .orElseGet(() -> view(found(id), Map.of()));
    }

    @Transactional
    public ChannelView create(ChannelRequest request) {
        List<Problem.FieldError> missing = new ArrayList<>();
        if (request.type() == null) {
            missing.add(new Problem.FieldError("type", "is required"));
        }
        if (request.name() == null || request.name().isBlank()) {
            missing.add(new Problem.FieldError("name", "is required"));
        }
        if (!missing.isEmpty()) {
            throw ProblemException.invalid(missing);
        }
        ChannelType type = types.addable(request.type());
        UUID id = UUID.randomUUID();
        requireFreeName(request.name().strip(), id);
        if (channels.countInTenant() >= MAX_CHANNELS_PER_TENANT) {
            throw new ProblemException(
                    ProblemType.CONFLICT, "A tenant may have at most " + MAX_CHANNELS_PER_TENANT + " channels");
        }
        Channel channel = new Channel();
        channel.id = id;
        channel.type = type.id();
        channel.name = request.name().strip();
        channel.settings = Map.of();
        channel.botAnswers = request.botAnswers() == null || request.botAnswers();
        channel.greeting = override(request.greeting(), null);
        channel.awayReply = override(request.awayReply(), null);
        channel.createdAt = Instant.now();
        channel.updatedAt = channel.createdAt;
        Map<String, String> credentials = type.create(channel, request);
        channels.persist(channel);
        audit.record(
                TenantScope.require(),
                AuditLog.Action.CHANNEL_CREATED,
                channel.id.toString(),
                Map.of("type", channel.type, "name", channel.name));
        LOG.infof("Channel %s of type %s created", channel.id, channel.type);
        return view(channel, credentials);
    }

    @Transactional
    public ChannelView update(UUID id, ChannelRequest request) {
        Channel channel = changeable(id);
        if (request.type() != null && !request.type().equals(channel.type)) {
            throw ProblemException.invalid("type", "cannot be changed; create a channel of the other type instead");
        }
        if (request.name() != null) {
            if (request.name().isBlank()) {
                throw ProblemException.invalid("name", "must not be blank");
            }
            requireFreeName(request.name().strip(), id);
            channel.name = request.name().strip();
        }
        channel.greeting = override(request.greeting(), channel.greeting);
        channel.awayReply = override(request.awayReply(), channel.awayReply);
        if (request.botAnswers() != null) {
            channel.botAnswers = request.botAnswers();
        }
        Map<String, String> credentials = type(channel).change(channel, request);
        channel.updatedAt = Instant.now();
        audit.record(
                TenantScope.require(),
                AuditLog.Action.CHANNEL_UPDATED,
                channel.id.toString(),
                Map.of("credentialsReplaced", !credentials.isEmpty()));
        return view(channel, credentials);
    }

    @Transactional
    public void delete(UUID id) {
        Channel channel = changeable(id);
        type(channel).delete(channel);
        channels.delete(channel);
        audit.record(
                TenantScope.require(),
                AuditLog.Action.CHANNEL_DELETED,
                channel.id.toString(),
                Map.of("name", channel.name));
    }

    /** The deliveries of the channel's callbacks, newest first; {@code status} filters. None for a channel without callbacks. */
    @Transactional
    public List<WebhookService.DeliveryView> deliveries(UUID id, String status, int limit) {
        return callbacks(id)
                .map(webhook -> webhooks.deliveries(webhook, status, limit))
                .orElse(List.of());
    }

    /** How many of the channel's callbacks are pending, delivered or dead (a status with none is absent). */
    @Transactional
    public Map<String, Long> deliveryCounts(UUID id) {
        return callbacks(id).map(webhooks::deliveryCounts).orElse(Map.of());
    }

    /** The webhook that carries the channel's callbacks; empty for the implicit channel and types without callbacks. */
    private Optional<UUID> callbacks(UUID id) {
        if (implicitChannels().stream().anyMatch(channel -> channel.id().equals(id))) {
            return Optional.empty();
        }
        return Optional.ofNullable(found(id).webhookId);
    }

    /**
     * Sends the channel's test (an API channel: a signed test callback) and waits for its outcome,
     * recorded among its deliveries; empty for a channel whose type has nothing to test. Outside
     * any transaction, so no connection waits on the tenant's server.
     */
    public Optional<WebhookService.Attempt> sendTest(UUID id) {
        Channel channel = added(id).orElseThrow(() -> ProblemException.notFound("Channel"));
        return type(channel).sendTest(channel);
    }

    /** A new bearer token for the channel, revoking the one before; the token itself is returned to be shown once. */
    static String newToken(Channel channel) {
        String token = Secrets.newSecret("sbch_");
        channel.tokenHash = Secrets.sha256(token);
        return token;
    }

    /**
     * The tenant of the channel this bearer token opens; empty for an unknown channel, a wrong
     * or revoked token, or another channel's token (the caller answers 401 to each alike).
     */
    public Optional<UUID> tenantOpenedBy(UUID channelId, String token) {
        try (Connection connection = connections.forPlatform("channel token check");
                PreparedStatement query =
                        connection.prepareStatement("select tenant_id, token_hash from channel where id = ?")) {
            query.setObject(1, channelId);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next() || row.getString(2) == null) {
                    return Optional.empty();
                }
                boolean matches = MessageDigest.isEqual(
                        row.getString(2).getBytes(StandardCharsets.US_ASCII),
                        Secrets.sha256(token).getBytes(StandardCharsets.US_ASCII));
                return matches ? Optional.of(row.getObject(1, UUID.class)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Checking a channel token failed: " + e.getMessage(), e);
        }
    }

    /** A channel's settings for its conversations; empty for a channel the tenant does not have. */
    @Transactional
    public Optional<Settings> settings(UUID id) {
        return channels.findInTenant(id)
                .map(channel ->
                        new Settings(new ChannelRef(channel.id, channel.type), channel.greeting, channel.botAnswers));
    }

    @Override
    @Transactional
    public Optional<String> outOfHoursReply(UUID channelId) {
        return channels.findInTenant(channelId).map(channel -> channel.awayReply);
    }

    /** The channel a conversation event concerns, with its type; empty for an implicit channel or a deleted one. */
    @Transactional
    Optional<Channel> added(UUID id) {
        return channels.findInTenant(id);
    }

    Optional<ChannelType> typeOf(String id) {
        return types.find(id);
    }

    private List<ChannelView> implicitChannels() {
        UUID tenantId = TenantScope.require();
        TenantSettings tenant = tenants.findById(tenantId).orElseThrow(() -> ProblemException.notFound("Tenant"));
        return types.implicit().stream()
                .map(type -> new ChannelView(
                        tenantId,
                        type.id(),
                        type.implicitName().orElseThrow(),
                        tenant.greeting(),
                        null,
                        true,
                        null,
                        null,
                        Map.of(),
                        Map.of()))
                .toList();
    }

    private Channel found(UUID id) {
        return channels.findInTenant(id).orElseThrow(() -> ProblemException.notFound("Channel"));
    }

    /** A channel the tenant added; the implicit one's settings are the tenant's, changed there. */
    private Channel changeable(UUID id) {
        if (implicitChannels().stream().anyMatch(channel -> channel.id().equals(id))) {
            throw new ProblemException(
                    ProblemType.CONFLICT,
                    "The widget is every tenant's own channel: change its settings with the tenant's (PATCH /api/v1/tenants/{tenant})");
        }
        return found(id);
    }

    private ChannelType type(Channel channel) {
        return types.find(channel.type)
                .orElseThrow(() -> new IllegalStateException("No channel type '" + channel.type + "' in this build"));
    }

    private void requireFreeName(String name, UUID id) {
        if (channels.nameTaken(name, id)) {
            throw ProblemException.invalid("name", "another channel of the tenant has this name");
        }
    }

    /** An override as requested: null keeps {@code current}, blank goes back to the tenant's (null). */
    private static String override(String requested, String current) {
        if (requested == null) {
            return current;
        }
        return requested.isBlank() ? null : requested.strip();
    }

    private ChannelView view(Channel channel, Map<String, String> credentials) {
        return new ChannelView(
                channel.id,
                channel.type,
                channel.name,
                channel.greeting,
                channel.awayReply,
                channel.botAnswers,
                channel.createdAt,
                channel.updatedAt,
                type(channel).describe(channel),
                credentials);
    }
}
