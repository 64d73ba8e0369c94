package io.sorthub.hub.cli;


import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.routing.compile.SortPlanCompiler;
import io.sorthub.hub.routing.compile.SortPlanException;
import io.sorthub.kit.cli.CommandFailure;
import io.sorthub.kit.cli.ExitCodes;
import io.sorthub.kit.cli.HttpUrl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code hub-service sort-plan check FILE} validates a plan offline (same compiler as the
 * hub) and prints every error as {@code FILE:LINE: ...}; {@code hub-service sort-plan upload
 * FILE} puts it in force on a running hub. {@code diff} and {@code simulate} are their own
 * classes.
 */
@Command(name = "sort-plan", mixinStandardHelpOptions = true,
    description = "Check, compare, try out against the journal, or upload a sort plan.",
    subcommands = {SortPlanCommand.Check.class, SortPlanDiffCommand.class, SortPlanSimulateCommand.class,
        SortPlanCommand.Upload.class})
public final class SortPlanCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
        description = "Compile a plan file and report every error (FILE:LINE: ...) and warning; exit 1 when it would be refused.")
    static final class Check implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "sort plan YAML")
        Path file;

        @Override
        public Integer call() {
            final long start = SystemNanoClock.INSTANCE.nanoTime();
            try {
                final SortPlan plan = new SortPlanCompiler().compile(SortPlanFiles.read(file), 1);
                System.out.printf("%s: OK, plan '%s': %d outlets, %d groups, %d rules, compiled in %d ms%n", file,
                    plan.name(), plan.outlets().size(), plan.groups().size(), plan.rules().size(),
                    (SystemNanoClock.INSTANCE.nanoTime() - start) / 1_000_000);
                plan.warnings().forEach(w -> System.out.println("warning: " + w));
                return 0;
            } catch (SortPlanException e) {
                SortPlanFiles.printErrors(file, e, System.err);
                System.err.printf("%s: %d error%s: the plan would be refused%n", file, e.errors().size() + e.notShown(),
                    e.errors().size() + e.notShown() == 1 ? "" : "s");
                return 1;
            } catch (IOException e) {
                System.err.println(file + ": cannot read: " + e.getMessage());
                return 2;
            }
        }
    }

    @Command(name = "upload", mixinStandardHelpOptions = true,
        description = "PUT a plan to a running hub's /api/sort-plan; it is compiled there and swapped in atomically.")
    static final class Upload implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "sort plan YAML")
        Path file;

        @Option(names = "--url", defaultValue = "http://127.0.0.1:7480", converter = HttpUrl.class,
            description = "the hub's HTTP address, http:// or https:// (default ${DEFAULT-VALUE})")
        URI url;

        @Option(names = "--token", description = "an admin bearer token, when the hub has an apiTokensFile (or env SORTHUB_TOKEN)")
        String token;

        @Option(names = "--cacert", paramLabel = "FILE",
            description = "PEM certificate(s) the hub's HTTPS certificate must chain to, instead of the system's (as curl --cacert)")
        Path cacert;

        @Override
        public Integer call() throws InterruptedException {
            final String plan;
            try {
                plan = SortPlanFiles.read(file);
            } catch (IOException e) {
                throw CommandFailure.usage(file + ": cannot read: " + e.getMessage());
            } catch (SortPlanException e) {
                SortPlanFiles.printErrors(file, e, System.err);
                return ExitCodes.REFUSED;
            }
            final String base = url.toString().replaceAll("/+$", "");
            final HttpClient.Builder clientBuilder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
            if (cacert != null) {
                clientBuilder.sslContext(trusting(cacert));
            }
            final HttpClient client = clientBuilder.build();
            final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + "/api/sort-plan"))
                .timeout(Duration.ofSeconds(60))
                .header("content-type", "application/yaml")
                .PUT(HttpRequest.BodyPublishers.ofString(plan));
            final String bearer = token != null ? token : System.getenv("SORTHUB_TOKEN");
            if (bearer != null) {
                builder.header("Authorization", "Bearer " + bearer);
            }
            final HttpResponse<String> response;
            try {
                response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                final String tls = io.sorthub.kit.net.TlsFailure.describe(e, cacert != null ? "--cacert " + cacert
                    : "the system's trusted certificates (give the hub's with --cacert)");
                throw new CommandFailure(ExitCodes.REFUSED, "cannot reach " + base + ": "
                    + (e instanceof java.net.ConnectException ? "connection refused (is hub-service running there?)"
                    : tls != null ? tls : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
            }
            (response.statusCode() == 200 ? System.out : System.err).println(response.body());
            return response.statusCode() == 200 ? ExitCodes.OK : ExitCodes.REFUSED;
        }

        /** TLS that trusts the certificates of {@code file} only. */
        private static javax.net.ssl.SSLContext trusting(Path file) {
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
                final java.security.KeyStore store = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
                store.load(null, null);
                int i = 0;
                for (java.security.cert.Certificate c : java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificates(in)) {
                    store.setCertificateEntry("ca-" + i++, c);
                }
                if (i == 0) {
                    throw CommandFailure.usage("--cacert " + file + ": no PEM certificate in it");
                }
                final javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
                final javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
                context.init(null, trust.getTrustManagers(), null);
                return context;
            } catch (IOException e) {
                throw CommandFailure.usage("--cacert " + file + ": cannot read: " + e.getMessage());
            } catch (java.security.GeneralSecurityException e) {
                throw CommandFailure.usage("--cacert " + file + ": not a PEM certificate: " + e.getMessage());
            }
        }
    }
}
