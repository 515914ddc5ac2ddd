package io.switchboard.assistant;

import io.switchboard.conversation.MessageRole;
import io.switchboard.conversation.MessageView;
import io.switchboard.model.ModelRequest.Role;
import io.switchboard.model.ModelRequest.Turn;
import io.switchboard.tenant.TenantSettings;
import java.util.ArrayList;
import java.util.List;

/** Builds the messages a model sees: the tenant's persona and instructions, then the conversation. */
final class PromptAssembler {

    private PromptAssembler() {
    }

    static List<Turn> assemble(TenantSettings tenant, List<MessageView> history) {
        List<Turn> turns = new ArrayList<>();
        turns.add(new Turn(Role.SYSTEM, systemMessage(tenant)));
        for (MessageView message : history) {
            if (message.role() == MessageRole.CUSTOMER) {
                turns.add(new Turn(Role.USER, message.text()));
            } else if (message.role() == MessageRole.BOT || message.role() == MessageRole.AGENT) {
                turns.add(new Turn(Role.ASSISTANT, message.text()));
            }
        }
        return turns;
    }

    private static String systemMessage(TenantSettings tenant) {
        StringBuilder system = new StringBuilder();
        system.append("You are the customer-support assistant of ").append(tenant.name()).append(".\n");
        if (!tenant.persona().isBlank()) {
            system.append(tenant.persona()).append('\n');
        }
        if (!tenant.instructions().isBlank()) {
            system.append('\n').append(tenant.instructions()).append('\n');
        }
        system.append("\nIf you cannot help, say so and offer to connect the customer with a person.");
        return system.toString();
    }
}
