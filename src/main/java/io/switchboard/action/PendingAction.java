package io.switchboard.action;

import java.util.UUID;

/**
 * A write waiting for the customer's agreement, as the customer sees it: its id (to confirm or
 * decline it), the action's name and the line the platform wrote from the validated arguments.
 */
public record PendingAction(UUID id, String name, String summary) {}
