package io.sorthub.kit.cli;

import picocli.CommandLine;

/**
 * {@code HOST:PORT} as flags and settings write it ({@code [::1]:7400} for IPv6), checked
 * once where it is read: a port of 1..65535 and a host that is not empty.
 */
public record HostPort(String host, int port) {

    public HostPort {
        if (host == null || host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + host + ":" + port + "' is not HOST:PORT with a port of 1..65535");
        }
    }

    /** @throws IllegalArgumentException naming the text and the form expected */
    public static HostPort parse(String text) {
        final String t = text == null ? "" : text.trim();
        final int colon = t.lastIndexOf(':');
        String host = colon < 0 ? "" : t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = -1;
        if (colon >= 0 && t.length() - colon - 1 <= 5) {
            try {
                port = Integer.parseInt(t.substring(colon + 1));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + t + "' is not HOST:PORT with a port of 1..65535 (e.g. 127.0.0.1:7400)");
        }
        return new HostPort(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** For picocli: a {@code HostPort} option or parameter converts itself, errors as one line. */
    public static final class Converter implements CommandLine.ITypeConverter<HostPort> {
        @Override
        public HostPort convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
