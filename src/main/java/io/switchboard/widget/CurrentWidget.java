package io.switchboard.widget;

import io.switchboard.conversation.ConversationTokens;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.RequestScoped;

/** The tenant and, when the path names one, the customer's conversation this widget request acts on, resolved once by {@link ForWidget}. */
@RequestScoped
public class CurrentWidget {

    private TenantSettings tenant;
    private ConversationTokens.OpenConversation conversation;

    public TenantSettings tenant() {
        if (tenant == null) {
            throw new IllegalStateException(
                    "No tenant resolved for this request: is the resource annotated with @ForWidget?");
        }
        return tenant;
    }

    public ConversationTokens.OpenConversation conversation() {
        if (conversation == null) {
            throw new IllegalStateException("This widget request names no conversation");
        }
        return conversation;
    }

    void set(TenantSettings tenant, ConversationTokens.OpenConversation conversation) {
        this.tenant = tenant;
        this.conversation = conversation;
    }
}
