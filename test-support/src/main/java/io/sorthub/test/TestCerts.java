package io.sorthub.test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Self-signed certificates for 127.0.0.1, made with openssl (installed by scripts/install-test-tools.sh if missing). */
public final class TestCerts {
    private TestCerts() {
    }

    /** A client context that trusts any certificate: for tests about time or rotation, not identity. */
    public static javax.net.ssl.SSLContext trustAll() throws Exception {
        final javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        return context;
    }

    public static void selfSigned(Path cert, Path key, String commonName) throws Exception {
        if (new ProcessBuilder("sh", "-c", "command -v openssl").start().waitFor() != 0) {
            final Path script = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent()
                .resolve("scripts/install-test-tools.sh");
            if (new ProcessBuilder("bash", script.toString()).inheritIO().start().waitFor() != 0) {
                throw new IllegalStateException("openssl could not be installed");
            }
        }
        final Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=" + commonName, "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl failed: " + out);
        }
    }
}
