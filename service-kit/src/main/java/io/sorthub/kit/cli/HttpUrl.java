package io.sorthub.kit.cli;

import picocli.CommandLine;

import java.net.URI;
import java.net.URISyntaxException;

/** An {@code http://} or {@code https://} address with a host, checked where the flag is read. */
public final class HttpUrl implements CommandLine.ITypeConverter<URI> {
    @Override
    public URI convert(String value) {
        try {
            final URI uri = new URI(value);
            if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new CommandLine.TypeConversionException("'" + value
            + "' is not an http:// or https:// address (e.g. http://127.0.0.1:7480)");
    }
}
