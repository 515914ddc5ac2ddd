package io.switchboard.events;

/** Every event the platform publishes; on Kafka each type is a topic of the same name. */
public enum EventType {
    CONVERSATION_STARTED("switchboard.conversation.started"),
    MESSAGE_CREATED("switchboard.conversation.message-created"),
    ANSWER_RATED("switchboard.conversation.answer-rated"),
    EMAIL_LEFT("switchboard.conversation.email-left"),
    CONVERSATION_RATED("switchboard.conversation.rated"),
    CONVERSATION_ESCALATED("switchboard.conversation.escalated"),
    CONVERSATION_ASSIGNED("switchboard.conversation.assigned"),
    CONVERSATION_RELEASED("switchboard.conversation.released"),
    CONVERSATION_CLOSED("switchboard.conversation.closed"),
    MODEL_POLICY_CHANGED("switchboard.model.policy-changed"),
    TENANT_UPDATED("switchboard.tenant.updated"),
    TENANT_DELETED("switchboard.tenant.deleted"),
    API_KEY_REVOKED("switchboard.tenant.api-key-revoked"),
    ACCOUNT_CHANGED("switchboard.tenant.account-changed"),
    BUDGET_EXCEEDED("switchboard.model.budget-exceeded"),
    MODEL_ENDPOINT_CHANGED("switchboard.model.endpoint-changed"),
    CANARY_ROLLED_BACK("switchboard.model.canary-rolled-back");

    private final String topic;

    EventType(String topic) {
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }
}
