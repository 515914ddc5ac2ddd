package io.switchboard.widget;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.PlatformKeyResource;
import io.switchboard.testing.StoredMessages;
import io.switchboard.testing.TestTenants;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A customer is who the tenant's server vouches for, and nobody else. */
@QuarkusTest
class VerifiedIdentityTest {

    private static final String START = "/api/v1/widget/{tenant}/conversations";

    @Inject
    TestTenants tenants;

    @Inject
    StoredMessages stored;

    @ConfigProperty(name = PlatformKeyResource.WIDGET_SECRET_SETTING)
    String secret;

    @Test
    void aValidProofMakesAVerifiedContactThatLaterConversationsShare() {
        TenantSettings tenant = tenants.withVerifiedIdentity(PlatformKeyResource.WIDGET_SECRET_SETTING, false);
        Map<String, Object> body = Map.of(
                "user",
                Map.of("id", "user-42", "name", "Ada", "email", "ada@example.com"),
                "userHash",
                IdentityVerifier.hmac(secret, "user-42"));

        String first = start(tenant, body).statusCode(201).extract().path("conversationId");
        String second = start(tenant, body).statusCode(201).extract().path("conversationId");

        Map<String, Object> contact = stored.contactOf(first);
        assertThat(contact).containsEntry("external_id", "user-42").containsEntry("verified", true);
        assertThat(contact.get("display_name"))
                .as("the hash signs the id, not the name beside it")
                .isNull();
        assertThat(contact.get("email")).as("nor the email").isNull();
        assertThat(stored.contactOf(second).get("id")).isEqualTo(contact.get("id"));
    }

    @Test
    void aForgedProofIsRefusedAndNothingIsCreated() {
        TenantSettings tenant = tenants.withVerifiedIdentity(PlatformKeyResource.WIDGET_SECRET_SETTING, false);

        start(
                        tenant,
                        Map.of(
                                "user",
                                Map.of("id", "user-42"),
                                "userHash",
                                IdentityVerifier.hmac("guessed-secret", "user-42")))
                .statusCode(401)
                .body("type", equalTo("urn:switchboard:problem:identity-not-verified"));
        start(
                        tenant,
                        Map.of(
                                "user",
                                Map.of("id", "someone-else"),
                                "userHash",
                                IdentityVerifier.hmac(secret, "user-42")))
                .statusCode(401);
        start(tenant, Map.of()).statusCode(201).body("number", equalTo(1));
    }

    @Test
    void anUnprovenIdIsIgnoredAndATenantCanRequireProof() {
        TenantSettings open = tenants.withVerifiedIdentity(PlatformKeyResource.WIDGET_SECRET_SETTING, false);
        String conversation = start(open, Map.of("user", Map.of("id", "user-42", "name", "Mallory")))
                .statusCode(201)
                .extract()
                .path("conversationId");
        assertThat(stored.contactOf(conversation))
                .containsEntry("external_id", null)
                .containsEntry("verified", false);

        TenantSettings strict = tenants.withVerifiedIdentity(PlatformKeyResource.WIDGET_SECRET_SETTING, true);
        start(strict, Map.of()).statusCode(401).body("type", equalTo("urn:switchboard:problem:identity-not-verified"));
        start(strict, Map.of("user", Map.of("id", "user-7"), "userHash", IdentityVerifier.hmac(secret, "user-7")))
                .statusCode(201);
    }

    @Test
    void aShortLivedJwtSignedWithTheSecretVerifiesTheUserAndAnythingElseIsRefused() {
        TenantSettings tenant = tenants.withVerifiedIdentity(PlatformKeyResource.WIDGET_SECRET_SETTING, true);
        long now = java.time.Instant.now().getEpochSecond();
        String key = IdentityVerifier.jwtKey(secret);
        String valid = jwt(
                "HS256",
                key,
                "{\"sub\":\"user-99\",\"name\":\"Grace\",\"email\":\"grace@example.com\",\"exp\":" + (now + 600) + "}");

        String conversation = start(tenant, Map.of("userJwt", valid))
                .statusCode(201)
                .extract()
                .path("conversationId");
        assertThat(stored.contactOf(conversation))
                .containsEntry("external_id", "user-99")
                .containsEntry("verified", true)
                .containsEntry("display_name", "Grace")
                .containsEntry("email", "grace@example.com");

        String claims = "{\"sub\":\"user-99\",\"exp\":" + (now + 600) + "}";
        for (String refused : List.of(
                jwt("HS256", "guessed-secret", claims),
                jwt("HS256", secret, claims),
                jwt("none", key, claims),
                jwt("HS512", key, claims),
                jwt("HS256", key, "{\"sub\":\"user-99\",\"exp\":" + (now - 3600) + "}"),
                jwt("HS256", key, "{\"sub\":\"user-99\",\"exp\":" + (now + 30 * 86400) + "}"),
                jwt("HS256", key, "{\"sub\":\"user-99\"}"),
                "not.a.jwt",
                valid.substring(0, valid.lastIndexOf('.')) + ".")) {
            start(tenant, Map.of("userJwt", refused))
                    .statusCode(401)
                    .body("type", equalTo("urn:switchboard:problem:identity-not-verified"));
        }
    }

    @Test
    void oneSignedInCustomerStartingConversationsTooFastIsSlowedDownAndOthersAreNot() {
        TenantSettings tenant = tenants.withVerifiedIdentity(PlatformKeyResource.WIDGET_SECRET_SETTING, false);
        String user = "busy-" + java.util.UUID.randomUUID();
        Map<String, Object> body = Map.of("user", Map.of("id", user), "userHash", IdentityVerifier.hmac(secret, user));
        // The default allows 10 a minute per customer; they refill one every 6 s, far slower than these starts.
        for (int i = 0; i < 10; i++) {
            start(tenant, body).statusCode(201);
        }
        start(tenant, body).statusCode(429).header("Retry-After", org.hamcrest.Matchers.matchesPattern("[1-9][0-9]*"));
        start(tenant, Map.of("user", Map.of("id", "calm-1"), "userHash", IdentityVerifier.hmac(secret, "calm-1")))
                .statusCode(201);
    }

    @Test
    void aUserHashTheTenantComputedForAJwtShapedIdIsNoJwtSignature() {
        TenantSettings tenant = tenants.withVerifiedIdentity(PlatformKeyResource.WIDGET_SECRET_SETTING, false);
        long now = java.time.Instant.now().getEpochSecond();
        // An attacker signs up on the tenant's site with an id that is a JWT's signed part, naming another user...
        String forged = jwt("HS256", secret, "{\"sub\":\"victim-1\",\"exp\":" + (now + 600) + "}");
        String chosenId = forged.substring(0, forged.lastIndexOf('.'));
        // ...so the tenant's page hands them HMAC(secret, that id): the signature of that JWT under the raw secret.
        assertThat(forged.substring(forged.lastIndexOf('.') + 1))
                .isEqualTo(java.util.Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(java.util.HexFormat.of().parseHex(IdentityVerifier.hmac(secret, chosenId))));
        start(tenant, Map.of("userJwt", forged))
                .statusCode(401)
                .body("type", equalTo("urn:switchboard:problem:identity-not-verified"));
    }

    /** A compact JWS as a tenant's server would make it (HS256 over header.claims with the given key). */
    private static String jwt(String algorithm, String key, String claims) {
        java.util.Base64.Encoder base64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String signed = base64.encodeToString(("{\"alg\":\"" + algorithm + "\",\"typ\":\"JWT\"}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "." + base64.encodeToString(claims.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] signature = java.util.HexFormat.of().parseHex(io.switchboard.platform.Secrets.hmacSha256(key, signed));
        return signed + "." + base64.encodeToString(signature);
    }

    private static io.restassured.response.ValidatableResponse start(TenantSettings tenant, Map<String, Object> body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post(START, tenant.slug())
                .then();
    }
}
