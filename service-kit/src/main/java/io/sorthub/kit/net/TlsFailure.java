package io.sorthub.kit.net;

import javax.net.ssl.SSLException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;

/**
 * Why a TLS connection failed, in one line an operator can act on: untrusted certificate,
 * host name mismatch, expired certificate, no TLS on the other side, or no common protocol.
 * Netty and Vert.x say "Failed to create SSL connection" and bury the reason in the causes.
 */
public final class TlsFailure {
    private TlsFailure() {
    }

    /**
     * @param trust what the certificate must chain to, as the operator configured it (e.g.
     *              {@code "hubTrustFile /etc/sorthub/hub-ca.pem"})
     * @return the reason, or null when {@code failure} is not a TLS failure
     */
    public static String describe(Throwable failure, String trust) {
        boolean tls = false;
        String innermost = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException || t.getClass().getName().contains("Ssl") || t.getClass().getName().contains("SSL")) {
                tls = true;
            }
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return "expired certificate (or not valid yet): " + t.getMessage();
            }
            final String message = t.getMessage() == null ? "" : t.getMessage();
            final String lower = message.toLowerCase(Locale.ROOT);
            if (lower.contains("subject alternative name") || lower.contains("no name matching")
                || lower.contains("hostname") && lower.contains("match")) {
                return "host name mismatch: the certificate does not name the address dialled (" + message + ")";
            }
            if (t instanceof CertPathValidatorException || lower.contains("pkix path") || lower.contains("certification path")) {
                return "untrusted certificate: it does not chain to a certificate in " + trust;
            }
            if (lower.contains("unsupported or unrecognized ssl message") || lower.contains("not an ssl/tls record")) {
                return "no TLS on the other side (a plain-text port?)";
            }
            if (lower.contains("protocol_version") || lower.contains("no appropriate protocol")
                || lower.contains("protocol is disabled")) {
                return "no TLS protocol version both sides accept (" + message + ")";
            }
            if (!message.isEmpty()) {
                innermost = message;
            }
        }
        return tls ? "TLS handshake failed: " + innermost : null;
    }
}
