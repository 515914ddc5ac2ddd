package io.switchboard.admin;

import java.util.List;

/** Tenants-config could not be applied; each problem names the file, the field and what is wrong. */
public class TenantConfigException extends RuntimeException {

    private final List<String> problems;

    public TenantConfigException(List<String> problems) {
        super("Invalid tenants-config:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
