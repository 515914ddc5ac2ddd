package io.switchboard.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** The production identity: the keycloak configuration profile against a real Keycloak. */
public class KeycloakProfile implements QuarkusTestProfile {

    @Override
    public String getConfigProfile() {
        return "test,keycloak";
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KeycloakResource.class));
    }
}
