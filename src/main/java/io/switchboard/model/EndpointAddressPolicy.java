package io.switchboard.model;

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
 * behalf, so loopback, private, link-local and cloud-metadata addresses are refused (no SSRF)
 * unless the operator allowlists the host (an own vLLM on localhost, the tests' stub).
 */
public final class EndpointAddressPolicy {

    private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata", "instance-data");

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
        this.allowedHosts = allowedHosts.stream().map(host -> host.strip().toLowerCase(Locale.ROOT))
                .filter(host -> !host.isEmpty()).collect(Collectors.toSet());
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
        for (InetAddress address : addresses) {
            if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
                return Optional.of("points at this machine (" + address.getHostAddress() + "); allowlist the host in " + allowlistSetting + " if that is intended");
            }
            if (address.isLinkLocalAddress()) {
                return Optional.of("points at a link-local or cloud metadata address (" + address.getHostAddress() + ")");
            }
            if (address.isSiteLocalAddress() || isUniqueLocal(address)) {
                return Optional.of("points at a private address (" + address.getHostAddress() + "); allowlist the host in "
                        + allowlistSetting + " if that is intended");
            }
        }
        return Optional.empty();
    }

    /** IPv6 unique local addresses (fc00::/7), which Java does not count as site-local. */
    private static boolean isUniqueLocal(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
    }
}
