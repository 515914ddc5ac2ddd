package io.switchboard.action;

import com.fasterxml.jackson.databind.JsonNode;

/** An action as a model sees it: an OpenAI-style function with its name, description and parameters schema. */
public record ToolDefinition(String name, String description, JsonNode parameters) {}
