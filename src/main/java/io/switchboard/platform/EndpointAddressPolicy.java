package io.switchboard.platform;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where model endpoints may point. A base URL is a request the platform makes on a tenant's
 * behalf, so loopback, private (also carrier-grade NAT and benchmarking ranges), link-local,
 * cloud-metadata and reserved addresses are refused (no SSRF), also when an IPv6 address carries
 * one (NAT64, 6to4), unless the operator allowlists the host (an own vLLM on localhost, the tests' stub).
 */
public final class EndpointAddressPolicy {

    private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata", "instance-data");
    /** 100.64.0.0/10, where some clouds also put their metadata service (100.100.100.200). */
    private static final byte[] CARRIER_GRADE_NAT = {100, 64, 0, 0};
    /** 198.18.0.0/15. */
    private static final byte[] BENCHMARKING = {(byte) 198, 18, 0, 0};
    /** 192.0.0.0/24. */
    private static final byte[] IETF_PROTOCOL = {(byte) 192, 0, 0, 0};

    private static final byte[] NAT64_WELL_KNOWN = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final byte[] NAT64_LOCAL = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 1};
    /** AWS's instance metadata service over IPv6, fd00:ec2::254. */
    private static final byte[] AWS_METADATA = {
        (byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54
    };

    private final Set<String> allowedHosts;
    private final String allowlistSetting;
    private final boolean unresolvableAllowed;

    /** @param allowedHosts {@code host} or {@code host:port} entries, as in SWITCHBOARD_MODEL_ALLOWED_HOSTS */
    public EndpointAddressPolicy(List<String> allowedHosts) {
        this(allowedHosts, "SWITCHBOARD_MODEL_ALLOWED_HOSTS", true);
    }

    /**
     * @param allowlistSetting the setting an operator changes to allow a refused host, named in the refusal
     * @param unresolvableAllowed whether a host that does not resolve from here passes (a hosted
     *     model provider seen from an offline machine) or is refused (a tenant's webhook)
     */
    public EndpointAddressPolicy(List<String> allowedHosts, String allowlistSetting, boolean unresolvableAllowed) {
        this.allowedHosts = allowedHosts.stream()
                .map(host -> host.strip().toLowerCase(Locale.ROOT))
                .filter(host -> !host.isEmpty())
                .collect(Collectors.toSet());
        this.allowlistSetting = allowlistSetting;
        this.unresolvableAllowed = unresolvableAllowed;
    }

    /** What is wrong with the base URL, or nothing when the platform may call it. */
    public Optional<String> problemWith(String baseUrl) {
        URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            return Optional.of("is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getUserInfo() != null) {
            return Optional.of("must name a host, without user information");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT).replaceAll("^\\[|]$", "");
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        if (allowedHosts.contains(host) || allowedHosts.contains(host + ":" + port)) {
            return Optional.empty();
        }
        if (METADATA_NAMES.contains(host)) {
            return Optional.of("points at a cloud metadata service");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            // Not resolvable from here: nothing internal to reach now, but a tenant's host could resolve to one later.
            return unresolvableAllowed ? Optional.empty() : Optional.of("does not resolve to an address");
        }
        // The refusal names the kind of address, never the address: a tenant must not learn the internal network from
        // it.
        for (InetAddress address : addresses) {
            Optional<String> internal = internal(embeddedIpv4(address).orElse(address));
            if (internal.isPresent()) {
                return internal;
            }
        }
        return Optional.empty();
    }

    private Optional<String> internal(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || bytes.length == 4 && bytes[0] == 0) {
            return Optional.of(
                    "points at this machine; allowlist the host in " + allowlistSetting + " if that is intended");
        }
        if (address.isLinkLocalAddress() || isAwsIpv6Metadata(bytes)) {
            return Optional.of("points at a link-local or cloud metadata address");
        }
        if (address.isSiteLocalAddress()
                || isUniqueLocal(bytes)
                || inRange(bytes, CARRIER_GRADE_NAT, 10)
                || inRange(bytes, BENCHMARKING, 15)) {
            return Optional.of(
                    "points at a private address; allowlist the host in " + allowlistSetting + " if that is intended");
        }
        if (address.isMulticastAddress()
                || bytes.length == 4 && ((bytes[0] & 0xf0) == 0xf0 || inRange(bytes, IETF_PROTOCOL, 24))) {
            return Optional.of("points at a reserved address");
        }
        return Optional.empty();
    }

    /**
     * The IPv4 address an IPv6 one carries to its network: NAT64 (64:ff9b::/96, 64:ff9b:1::/48),
     * 6to4 (2002::/16) and IPv4-compatible (::a.b.c.d) addresses reach the IPv4 address inside.
     */
    static Optional<InetAddress> embeddedIpv4(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != 16) {
            return Optional.empty();
        }
        int from;
        if (startsWith(bytes, NAT64_WELL_KNOWN)) {
            from = 12;
        } else if (startsWith(bytes, NAT64_LOCAL)) {
            // RFC 6052 /48: the IPv4 address in bytes 6-7 and 9-10 (byte 8 is reserved)
            return ipv4(new byte[] {bytes[6], bytes[7], bytes[9], bytes[10]});
        } else if (bytes[0] == 0x20 && bytes[1] == 0x02) {
            from = 2;
        } else if (java.util.Arrays.equals(bytes, 0, 12, new byte[12], 0, 12)
                && (bytes[12] | bytes[13] | bytes[14]) != 0) {
            from = 12;
        } else {
            return Optional.empty();
        }
        return ipv4(java.util.Arrays.copyOfRange(bytes, from, from + 4));
    }

    private static Optional<InetAddress> ipv4(byte[] bytes) {
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException impossible) {
            return Optional.empty();
        }
    }

    private static boolean isAwsIpv6Metadata(byte[] bytes) {
        return java.util.Arrays.equals(bytes, AWS_METADATA);
    }

    /** Whether the IPv4 address is in network/prefixLength. */
    private static boolean inRange(byte[] address, byte[] network, int prefixLength) {
        if (address.length != 4) {
            return false;
        }
        int value = java.nio.ByteBuffer.wrap(address).getInt();
        int base = java.nio.ByteBuffer.wrap(network).getInt();
        int mask = -1 << (32 - prefixLength);
        return (value & mask) == (base & mask);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return java.util.Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** IPv6 unique local addresses (fc00::/7), which Java does not count as site-local. */
    private static boolean isUniqueLocal(byte[] bytes) {
        return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
    }
}
