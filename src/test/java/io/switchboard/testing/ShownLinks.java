package io.switchboard.testing;

import java.net.URI;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.parser.Parser;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

/**
 * The link targets a customer could follow in a reply, read every way a client might read it:
 * as the widget does (and as its earlier, looser pattern did), as a CommonMark renderer does, as
 * a browser reads HTML, and as URLs in plain text (also in compatibility form, where full-width
 * letters read as ASCII).
 */
public final class ShownLinks {

    private static final List<Pattern> WIDGET_READINGS = List.of(
            Pattern.compile("\\[([^\\[\\]]+)\\]\\(([^()\\s]+)\\)"), Pattern.compile("\\[([^\\]]+)\\]\\(([^)\\s]+)\\)"));
    private static final Pattern BARE_URL =
            Pattern.compile("(?:https?:/|www\\.)[^\\s<>()\\[\\]]+", Pattern.CASE_INSENSITIVE);

    private ShownLinks() {}

    /** The targets in {@code shown} that lead anywhere but the allowed hosts (or their subdomains). */
    public static List<String> foreign(String shown, Collection<String> allowedHosts) {
        return targets(shown).stream()
                .filter(target -> !leadsNowhere(target) && !allowed(target, allowedHosts))
                .distinct()
                .toList();
    }

    static List<String> targets(String shown) {
        List<String> targets = new ArrayList<>();
        for (String text : List.of(shown, Normalizer.normalize(shown, Normalizer.Form.NFKC))) {
            for (Pattern reading : WIDGET_READINGS) {
                Matcher link = reading.matcher(text);
                while (link.find()) {
                    targets.add(link.group(2));
                }
            }
            Parser.builder().build().parse(text).accept(new AbstractVisitor() {
                @Override
                public void visit(Link link) {
                    targets.add(link.getDestination());
                    visitChildren(link);
                }

                @Override
                public void visit(Image image) {
                    targets.add(image.getDestination());
                    visitChildren(image);
                }
            });
            for (Element element : Jsoup.parseBodyFragment(text).select("[href], [src]")) {
                targets.add(element.hasAttr("href") ? element.attr("href") : element.attr("src"));
            }
            Matcher url = BARE_URL.matcher(text);
            while (url.find()) {
                targets.add(url.group());
            }
        }
        return targets;
    }

    /** A scheme or "www." with nothing after it names no host. */
    private static boolean leadsNowhere(String target) {
        return target.strip().matches("(?i)(https?:/*|www\\.)");
    }

    private static boolean allowed(String target, Collection<String> allowedHosts) {
        String url = Normalizer.normalize(target.strip(), Normalizer.Form.NFKC);
        if (url.toLowerCase(Locale.ROOT).startsWith("www.")) {
            url = "https://" + url;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            return (scheme.equals("https") || scheme.equals("http"))
                    && uri.getRawUserInfo() == null
                    && allowedHosts.stream().anyMatch(allowed -> host.equals(allowed) || host.endsWith("." + allowed));
        } catch (java.net.URISyntaxException notAUrl) {
            return false;
        }
    }
}
