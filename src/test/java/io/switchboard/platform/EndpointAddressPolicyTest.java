package io.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The addresses a tenant's webhook or a model endpoint may not point at, spelled as literal
 * addresses so no name service is involved; a refusal names the kind of address, never the address.
 */
class EndpointAddressPolicyTest {

    private final EndpointAddressPolicy webhooks =
            new EndpointAddressPolicy(List.of(), "SWITCHBOARD_WEBHOOKS_ALLOWED_HOSTS", false);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "0.0.0.0",
                "0.1.2.3",
                "10.1.2.3",
                "172.16.0.1",
                "192.168.1.1",
                "169.254.169.254",
                "100.64.0.1",
                "100.100.100.200",
                "100.127.255.254",
                "198.18.0.1",
                "198.19.255.255",
                "192.0.0.170",
                "224.0.0.1",
                "240.0.0.1",
                "[::1]",
                "[fe80::1]",
                "[fd00:ec2::254]",
                "[fc00::5]",
                "[::ffff:127.0.0.1]",
                "[::ffff:169.254.169.254]",
                "[64:ff9b::a9fe:a9fe]",
                "[64:ff9b::a00:1]",
                "[64:ff9b:1:7f00:0:100::]",
                "[2002:a9fe:a9fe::]",
                "[::10.0.0.1]"
            })
    void internalAddressesAreRefusedWithoutNamingThem(String host) {
        String refusal = webhooks.problemWith("https://" + host + "/hook").orElseThrow();
        assertThat(refusal)
                .doesNotContain(host.replaceAll("[\\[\\]]", ""))
                .doesNotContainPattern("\\d+\\.\\d+\\.\\d+\\.\\d+");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "93.184.216.34",
                "100.63.255.255",
                "100.128.0.1",
                "198.20.0.1",
                "[2606:4700:4700::1111]",
                "[64:ff9b::5db8:d822]"
            })
    void publicAddressesPass(String host) {
        assertThat(webhooks.problemWith("https://" + host + "/hook")).isEmpty();
    }
}
