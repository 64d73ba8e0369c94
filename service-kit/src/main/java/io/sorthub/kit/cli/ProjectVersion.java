package io.sorthub.kit.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** {@code --version}: the project's version as the build stamped it, and the Java running it. */
public final class ProjectVersion implements CommandLine.IVersionProvider {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The version of the build these classes come from, e.g. 0.1.0-SNAPSHOT. */
    public static String version() {
        try (InputStream in = ProjectVersion.class.getResourceAsStream("/io/sorthub/kit/version.properties")) {
            final Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"SortHub " + spec.root().name() + " " + version(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
}
