package io.switchboard.assistant;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.conversation.BotReply;
import io.switchboard.conversation.ConversationService;
import io.switchboard.conversation.ConversationState;
import io.switchboard.model.ModelFailure;
import io.switchboard.model.ModelRequest;
import io.switchboard.model.ModelService;
import io.switchboard.tenant.TenantScope;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * One bot turn: store the customer's message, ask the tenant's model while streaming to the
 * customer, store the reply with its provenance. A failing model hands the conversation to a
 * person instead of failing the customer. No transaction is held while the model streams.
 */
@ApplicationScoped
public class AssistantService {

    private static final Logger LOG = Logger.getLogger(AssistantService.class);
    public static final String MODEL_FAILURE = "model_failure";

    private final ConversationService conversations;
    private final ModelService models;
    private final AssistantConfig config;
    private final MeterRegistry metrics;

    public AssistantService(ConversationService conversations, ModelService models, AssistantConfig config, MeterRegistry metrics) {
        this.conversations = conversations;
        this.models = models;
        this.config = config;
        this.metrics = metrics;
    }

    public TurnResult handleCustomerMessage(TenantSettings tenant, UUID conversationId, String text, TurnListener listener) {
        return TenantScope.call(tenant.id(), () -> {
            Timer.Sample sample = Timer.start(metrics);
            ConversationService.CustomerTurn turn = conversations.appendCustomerMessage(conversationId, text, config.historyMessages());
            if (turn.state() != ConversationState.BOT) {
                // A person owns (or is about to own) the conversation: the bot stays silent.
                count(tenant, "human", sample);
                return new TurnResult(turn.message(), null, turn.state());
            }
            ModelRequest request = new ModelRequest(tenant.id(), tenant.slug(), null, PromptAssembler.assemble(tenant, turn.history()));
            try {
                ModelService.Answer answer = models.chat(tenant.modelPolicy(), request, listener::onToken);
                ConversationService.Appended reply = conversations.appendBotReply(conversationId, new BotReply(answer, tenant.configVersion()));
                LOG.infof("Bot answered with %s in %d ms", answer.model(), answer.reply().latencyMillis());
                count(tenant, "answered", sample);
                return new TurnResult(turn.message(), reply.message(), reply.state());
            } catch (ModelFailure failure) {
                ConversationService.Appended notice = conversations.handOff(conversationId, config.handoffNotice(), MODEL_FAILURE);
                LOG.warnf("Handed off to a person after model failure: %s", failure.reason().tag());
                count(tenant, MODEL_FAILURE, sample);
                return new TurnResult(turn.message(), notice.message(), notice.state());
            }
        });
    }

    private void count(TenantSettings tenant, String outcome, Timer.Sample sample) {
        sample.stop(Timer.builder("switchboard.turn.duration")
                .description("Time from a customer message to the stored reply")
                .tags("tenant", tenant.slug(), "outcome", outcome)
                .publishPercentileHistogram()
                .register(metrics));
        metrics.counter("switchboard.turns", "tenant", tenant.slug(), "outcome", outcome).increment();
    }
}
