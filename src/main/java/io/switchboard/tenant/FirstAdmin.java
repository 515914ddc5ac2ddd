package io.switchboard.tenant;

/** A first tenant admin to create with the tenant. */
public record FirstAdmin(String username, String email) {}
