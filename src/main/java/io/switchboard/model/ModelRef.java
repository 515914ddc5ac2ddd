package io.switchboard.model;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** One model on one catalogue endpoint, e.g. endpoint {@code vllm-local}, model {@code Qwen/Qwen3-8B}. */
public record ModelRef(
        @NotBlank @Size(max = 100) String endpoint,
        @NotBlank @Size(max = 200) String model) {

    @Override
    public String toString() {
        return endpoint + "/" + model;
    }
}
