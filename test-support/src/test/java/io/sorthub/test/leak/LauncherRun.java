package io.sorthub.test.leak;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * One test class run the way Surefire runs a module's tests, through a JUnit Platform launcher
 * session (so the {@link BufferLeakCheck} registered in test-support's services takes part).
 * Exits 0 when the session closes cleanly, 2 when a test failed, and with an uncaught error when
 * closing the session threw, as it does on a leak.
 */
public final class LauncherRun {
    private LauncherRun() {
    }

    public static void main(String[] args) {
        final SummaryGeneratingListener summary = new SummaryGeneratingListener();
        try (LauncherSession session = LauncherFactory.openSession()) {
            session.getLauncher().execute(request().selectors(selectClass(args[0])).build(), summary);
        }
        if (summary.getSummary().getTotalFailureCount() > 0 || summary.getSummary().getTestsSucceededCount() == 0) {
            System.out.println("tests did not pass: " + summary.getSummary().getTestsSucceededCount() + " succeeded, "
                + summary.getSummary().getTotalFailureCount() + " failed");
            System.exit(2);
        }
        System.out.println("session closed cleanly");
    }
}
