package io.switchboard.action;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/**
 * An action call checked and ready to make: the arguments fit the schema and the customer may use
 * the action. A plain record (it serialises to JSON), so a caller can keep it while the customer
 * decides; {@link ActionService#execute} refuses it if the action changed meanwhile.
 *
 * @param customerId the verified customer's id, sent as {@code Switchboard-Customer-Id}; null when anonymous
 * @param arguments the validated arguments, unknown ones dropped
 * @param summary one line the platform wrote from the validated arguments, for the customer to confirm
 * @param confirmationRequired whether the customer must agree before {@link ActionService#execute}
 * @param actionVersion when the action was last changed, as it was prepared
 */
public record PreparedCall(
        UUID tenantId,
        UUID actionId,
        String actionName,
        UUID conversationId,
        String customerId,
        ObjectNode arguments,
        String summary,
        boolean confirmationRequired,
        Instant actionVersion) {}
