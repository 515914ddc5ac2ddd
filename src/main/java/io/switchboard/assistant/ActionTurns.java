package io.switchboard.assistant;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.action.ActionConfirmations;
import io.switchboard.action.ActionOutcome;
import io.switchboard.action.ActionService;
import io.switchboard.action.PendingAction;
import io.switchboard.action.Preparation;
import io.switchboard.action.PreparedCall;
import io.switchboard.action.ToolDefinition;
import io.switchboard.conversation.ConversationService;
import io.switchboard.model.ModelFailure;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelProvider;
import io.switchboard.model.ModelReply;
import io.switchboard.model.ModelRequest;
import io.switchboard.model.ModelService;
import io.switchboard.model.ToolCall;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * A bot turn that may call the tenant's actions: the model is offered the actions this customer
 * may use as tools, each call it makes is checked and made (all of them when it makes several at
 * once), the results go back to it, and it is asked again until it answers in text. Who the
 * customer is comes from the conversation's verified contact, never from the model. A failed call
 * goes back to the model like any result, so it can answer honestly; a turn that keeps failing
 * (the same action twice) or keeps calling (the tenant's {@link ConsumptionLimits#maxToolCallsPerTurn()})
 * ends without an answer, for a person to take over. A call the customer must confirm is not made:
 * it is kept for the customer to confirm (one per turn) and the model is told so, whatever asked
 * for it, the customer or text inside a tool result; {@link AssistantService#decideAction} makes it
 * once they agree.
 */
@ApplicationScoped
class ActionTurns {

    private static final Logger LOG = Logger.getLogger(ActionTurns.class);

    /** The outcome the model reads for a write it asked for while another already waits for the customer. */
    private static final String NOT_CONFIRMED = "needs_confirmation";

    /** A turn's answer, and the write it left waiting for the customer's confirmation (null: none). */
    record Answered(ModelService.Answer answer, PendingAction pending) {}

    private final ActionService actions;
    private final ActionConfirmations confirmations;
    private final ModelService models;
    private final ConversationService conversations;

    ActionTurns(
            ActionService actions,
            ActionConfirmations confirmations,
            ModelService models,
            ConversationService conversations) {
        this.actions = actions;
        this.confirmations = confirmations;
        this.models = models;
        this.conversations = conversations;
    }

    /** The tools a turn offers, and the verified customer their calls act for (null when anonymous). */
    private record Offer(ModelRequest.Tools tools, String verifiedCustomerId) {

        static final Offer NONE = new Offer(ModelRequest.Tools.NONE, null);

        boolean any() {
            return !tools.offered().isEmpty();
        }
    }

    /**
     * The turn's answer: the model's final text reply, with all it said before its calls in front
     * (as the customer saw it streamed) and the usage of every model call of the turn. Null when
     * the actions failed the turn: the caller hands the conversation to a person. A turn with no
     * action to offer is one model call.
     */
    Answered answer(
            TenantSettings tenant,
            UUID conversationId,
            UUID contactId,
            ModelPolicy policy,
            ModelRequest request,
            ModelProvider.TokenSink sink)
            throws ModelFailure {
        Offer offer = offer(tenant, policy, contactId);
        return offer.any()
                ? loop(tenant, conversationId, policy, request, offer, sink)
                : new Answered(models.chat(policy, request, sink), null);
    }

    /**
     * What the turn may offer: nothing when no model of the policy calls tools (the database is then
     * not asked), else the tenant's enabled actions this customer may use.
     */
    private Offer offer(TenantSettings tenant, ModelPolicy policy, UUID contactId) {
        if (!models.callsTools(policy)) {
            return Offer.NONE;
        }
        String customer = contactId == null
                ? null
                : conversations.verifiedCustomerId(contactId).orElse(null);
        List<ModelRequest.Tool> tools = actions.tools(tenant.id(), customer != null).stream()
                .map(ActionTurns::tool)
                .toList();
        return tools.isEmpty() ? Offer.NONE : new Offer(ModelRequest.Tools.offering(tools), customer);
    }

    /** Asks the model, makes the calls it asks for and asks again, until it answers in text or the actions fail the turn. */
    private Answered loop(
            TenantSettings tenant,
            UUID conversationId,
            ModelPolicy policy,
            ModelRequest request,
            Offer offer,
            ModelProvider.TokenSink sink)
            throws ModelFailure {
        int limit = ConsumptionLimits.of(tenant).maxToolCallsPerTurn();
        ModelRequest asked = request.withTools(offer.tools());
        StringBuilder said = new StringBuilder();
        ModelService.Usage spent = null;
        Map<String, Integer> failures = new HashMap<>();
        PendingAction waiting = null;
        int made = 0;
        while (true) {
            ModelService.Answer answer = models.chat(policy, asked, sink);
            spent = plus(spent, answer.usage());
            ModelReply reply = answer.reply();
            said.append(reply.text() == null ? "" : reply.text());
            if (!reply.callsTools()) {
                return new Answered(
                        new ModelService.Answer(
                                answer.model(), answer.provider(), reply.withText(said.toString()), spent),
                        waiting);
            }
            if (made + reply.toolCalls().size() > limit) {
                LOG.warnf(
                        "The model asked for %d more action calls past the tenant's %d per turn",
                        reply.toolCalls().size(), limit);
                return null;
            }
            List<ModelRequest.Turn> turns = new ArrayList<>();
            turns.add(ModelRequest.Turn.calling(reply.text(), reply.toolCalls()));
            for (ToolCall call : reply.toolCalls()) {
                made++;
                ObjectNode result;
                Preparation prepared = actions.prepare(
                        tenant.id(), conversationId, offer.verifiedCustomerId(), call.name(), call.arguments());
                if (prepared instanceof Preparation.Ready ready && ready.call().confirmationRequired()) {
                    if (waiting == null) {
                        waiting = confirmations.offer(ready.call());
                        result = awaiting(waiting);
                    } else {
                        result = notConfirmed(ready.call());
                    }
                } else {
                    result = switch (prepared) {
                        case Preparation.Refused refused -> refused.outcome().toolResult();
                        case Preparation.Ready ready ->
                            actions.execute(ready.call()).toolResult();
                    };
                }
                String outcome = result.path("outcome").asText();
                if (!outcome.equals(ActionOutcome.Kind.OK.id())
                        && !outcome.equals(ActionOutcome.Kind.PENDING.id())
                        && !outcome.equals(NOT_CONFIRMED)) {
                    if (failures.merge(call.name(), 1, Integer::sum) >= 2) {
                        LOG.warnf("Action %s failed twice in one turn (%s)", call.name(), outcome);
                        return null;
                    }
                }
                turns.add(ModelRequest.Turn.toolResult(call.id(), result.toString()));
            }
            asked = asked.continuedWith(turns);
        }
    }

    /**
     * What the customer decided on a pending write, for the turn that answers it: the customer's
     * message as stored (the platform's line, never the model's words) and the turns that tell
     * the model what came of it, as if it had just called the action.
     */
    record Decided(String customerText, List<ModelRequest.Turn> turns) {}

    /** Confirms (the call is made, once) or declines a pending write of the conversation; see {@link ActionConfirmations#decide}. */
    Decided decide(TenantSettings tenant, UUID conversationId, UUID pendingId, boolean confirmed) {
        ActionConfirmations.Decision decision = confirmations.decide(tenant.id(), conversationId, pendingId, confirmed);
        ToolCall call = new ToolCall(
                "call_" + pendingId.toString().replace("-", ""),
                decision.action().name(),
                decision.arguments());
        return new Decided(
                (confirmed ? "\u2713 " : "\u2717 ") + decision.action().summary(),
                List.of(
                        ModelRequest.Turn.calling(null, List.of(call)),
                        ModelRequest.Turn.toolResult(
                                call.id(), decision.outcome().toolResult().toString())));
    }

    /**
     * What the model reads for a write kept for the customer: it is not done; the customer is
     * shown it with buttons to confirm or decline, which the model's answer should invite.
     */
    private static ObjectNode awaiting(PendingAction pending) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("action", pending.name());
        result.put("outcome", ActionOutcome.Kind.PENDING.id());
        result.put(
                "reason",
                "NOT done yet: the customer is shown this action with buttons to confirm or decline it ("
                        + pending.summary() + "); ask them to check it and confirm");
        return result;
    }

    /** A second write in one turn: one confirmation at a time, so the model is told it was not done. */
    private static ObjectNode notConfirmed(PreparedCall call) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("action", call.actionName());
        result.put("outcome", NOT_CONFIRMED);
        result.put(
                "reason",
                "another action already waits for the customer's confirmation: this one was NOT done; tell the"
                        + " customer so (" + call.summary() + ")");
        return result;
    }

    private static ModelRequest.Tool tool(ToolDefinition action) {
        return new ModelRequest.Tool(action.name(), action.description(), action.parameters());
    }

    /** The usage of the turn's model calls so far, this one's added. */
    private static ModelService.Usage plus(ModelService.Usage so, ModelService.Usage more) {
        if (so == null) {
            return more;
        }
        return new ModelService.Usage(
                sum(so.inputTokens(), more.inputTokens()),
                sum(so.outputTokens(), more.outputTokens()),
                so.estimated() || more.estimated(),
                (so.costUsd() == null ? BigDecimal.ZERO : so.costUsd())
                        .add(more.costUsd() == null ? BigDecimal.ZERO : more.costUsd()));
    }

    private static Integer sum(Integer a, Integer b) {
        return a == null ? b : b == null ? a : a + b;
    }
}
