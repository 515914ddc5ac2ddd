package io.switchboard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelCatalogTest {

    @Test
    void endpointIdsFromEnvironmentVariablesGetTheirHyphensBack() {
        // SWITCHBOARD_MODEL_ENDPOINTS__VLLM_LOCAL__BASE_URL reaches the mapping as key "vllm.local".
        assertThat(ModelCatalog.endpointId("vllm.local")).isEqualTo("vllm-local");
        assertThat(ModelCatalog.endpointId("VLLM_LOCAL")).isEqualTo("vllm-local");
        assertThat(ModelCatalog.endpointId("openrouter")).isEqualTo("openrouter");
    }

    @Test
    void endpointIdsWithOtherCharactersAreRefused() {
        assertThatThrownBy(() -> ModelCatalog.endpointId("my endpoint"))
                .hasMessageContaining("lower-case letters, digits");
        assertThatThrownBy(() -> ModelCatalog.endpointId("-edge")).hasMessageContaining("inner hyphens");
    }
}
