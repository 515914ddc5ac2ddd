package io.switchboard.action;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * An OpenAPI 3 document (JSON or YAML, as text) to import actions from. Without {@code operationIds}
 * nothing is created: the answer previews every operation as the action it would become.
 *
 * @param operationIds the operations to import (an operation without an operationId by the name the preview gives it)
 * @param serverUrl the base URL of the actions, instead of the document's first server
 */
public record ActionImportRequest(
        @NotBlank(message = "must be the OpenAPI document, JSON or YAML")
        @Size(max = MAX_DOCUMENT_CHARS, message = "must be at most 512 KB")
        String document,

        @Size(max = ActionDefinitions.MAX_ACTIONS_PER_TENANT)
        List<@NotBlank String> operationIds,

        @Size(max = 2000) String serverUrl) {

    /** The largest document taken, in characters. */
    public static final int MAX_DOCUMENT_CHARS = 512 * 1024;
}
