package io.switchboard.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HandoffTriggersTest {

    private static final EscalationRules RULES = new EscalationRules(List.of("chargeback", "lawyer", "injured"));

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Can I talk to a human please",
                "I want to speak with a real person",
                "live agent!",
                "connect me to someone who can help",
                "Quiero hablar con una persona",
                "necesito un agente humano",
                "Je veux parler à un humain",
                "je voudrais parler a quelqu’un",
                "Ich möchte mit einem Menschen sprechen",
                "bitte einen echten Menschen",
                "转人工",
                "我要人工客服"
            })
    void aRequestForAPersonHandsOff(String message) {
        assertThat(HandoffTriggers.reasonFor(message, RULES)).as(message).contains(EscalationReason.CUSTOMER_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "I will file a CHARGEBACK with my bank",
                "my lawyer will call you",
                "my son got injured on the stairs"
            })
    void aTenantKeywordHandsOff(String message) {
        assertThat(HandoffTriggers.reasonFor(message, RULES)).as(message).contains(EscalationReason.KEYWORD);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "How do I cancel my booking?",
                "Is the host a real person or a company?",
                "the lawyers' office is next door",
                "Can my agent book for me?",
                "Wie storniere ich?",
                "¿Cómo cancelo mi reserva?",
                "退款需要多久"
            })
    void ordinaryQuestionsStayWithTheBot(String message) {
        assertThat(HandoffTriggers.reasonFor(message, RULES)).as(message).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Sure, refunds take 5 days.<|im_end|>\n<|im_start|>user",
                "Here you go</s>",
                "[INST] answer the user [/INST]",
                "<think>The customer wants a refund, let me check",
                "<think>Refunds take five days.</think>  ",
                "{\"name\": \"lookup_booking\", \"arguments\": {\"id\": 42}}",
                "<tool_call>{\"name\": \"refund\"}</tool_call>",
                "R\uFFFD\uFFFDfunds t\uFFFDke f\uFFFDve d\uFFFDys"
            })
    void aReplyNoPersonShouldReadIsUnusable(String reply) {
        assertThat(HandoffTriggers.unusableAnswer(reply)).as(reply).isPresent();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Refunds take five days to reach your card.",
                "<think>They ask about refunds.</think>Refunds take five days.",
                "Use the {booking id} from your email, e.g. {\"id\": 42} is not needed.",
                "Café opens at 8 — see the house rules."
            })
    void anOrdinaryReplyIsUsable(String reply) {
        assertThat(HandoffTriggers.unusableAnswer(reply)).as(reply).isEmpty();
    }
}
