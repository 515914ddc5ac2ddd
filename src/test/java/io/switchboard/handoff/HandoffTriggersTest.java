package io.switchboard.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HandoffTriggersTest {

    private static final EscalationRules RULES = new EscalationRules(List.of("chargeback", "lawyer", "injured"));

    @ParameterizedTest
    @ValueSource(strings = {"Can I talk to a human please", "I want to speak with a real person", "live agent!",
            "connect me to someone who can help", "Quiero hablar con una persona", "necesito un agente humano",
            "Je veux parler à un humain", "je voudrais parler a quelqu’un", "Ich möchte mit einem Menschen sprechen",
            "bitte einen echten Menschen", "转人工", "我要人工客服"})
    void aRequestForAPersonHandsOff(String message) {
        assertThat(HandoffTriggers.reasonFor(message, RULES)).as(message).contains(HandoffTriggers.CUSTOMER_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"I will file a CHARGEBACK with my bank", "my lawyer will call you", "my son got injured on the stairs"})
    void aTenantKeywordHandsOff(String message) {
        assertThat(HandoffTriggers.reasonFor(message, RULES)).as(message).contains(HandoffTriggers.KEYWORD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"How do I cancel my booking?", "Is the host a real person or a company?", "the lawyers' office is next door",
            "Can my agent book for me?", "Wie storniere ich?", "¿Cómo cancelo mi reserva?", "退款需要多久"})
    void ordinaryQuestionsStayWithTheBot(String message) {
        assertThat(HandoffTriggers.reasonFor(message, RULES)).as(message).isEmpty();
    }
}
