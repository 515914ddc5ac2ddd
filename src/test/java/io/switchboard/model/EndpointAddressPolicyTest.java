package io.switchboard.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Model endpoints cannot be pointed at this machine, the private network or cloud metadata. */
class EndpointAddressPolicyTest {

    private final EndpointAddressPolicy policy = new EndpointAddressPolicy(List.of("127.0.0.1:8000", "vllm.internal"));

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:9000/v1", "http://localhost/v1", "http://[::1]:8000/v1", "http://0.0.0.0/v1",
            "http://169.254.169.254/latest/meta-data", "http://metadata.google.internal/computeMetadata/v1",
            "http://10.1.2.3/v1", "http://192.168.0.10:8000/v1", "http://172.16.5.4/v1", "http://[fd00::1]/v1",
            "http://2130706433/v1", "file:///etc/passwd", "gopher://127.0.0.1:25/", "ftp://models.example/v1",
            "http://user:secret@models.example/v1", "not a url at all"})
    void refusesAddressesThatReachInside(String baseUrl) {
        assertThat(policy.problemWith(baseUrl)).as(baseUrl).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8000/v1", "https://vllm.internal/v1", "https://93.184.216.34/v1",
            "https://openrouter.ai/api/v1"})
    void acceptsPublicAndAllowlistedAddresses(String baseUrl) {
        assertThat(policy.problemWith(baseUrl)).as(baseUrl).isEmpty();
    }

    @Test
    void anAllowlistedHostIsAllowedOnItsPortOnly() {
        assertThat(policy.problemWith("http://127.0.0.1:8000/v1")).isEmpty();
        assertThat(policy.problemWith("http://127.0.0.1:8001/v1")).get().asString().contains("SWITCHBOARD_MODEL_ALLOWED_HOSTS");
    }
}
