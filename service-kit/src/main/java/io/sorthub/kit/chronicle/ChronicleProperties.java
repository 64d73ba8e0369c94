package io.sorthub.kit.chronicle;

/**
 * The JVM-wide settings Chronicle reads once, when its classes initialise: each class that
 * opens a queue calls these from its static initialiser, before any Chronicle class loads.
 * A value given on the command line ({@code -D}) wins. Only property names live here: calling
 * these loads no Chronicle class.
 */
public final class ChronicleProperties {
    static final String ANALYTICS_DISABLE = "chronicle.analytics.disable";
    static final String SINGLE_THREADED_CHECK_DISABLE = "disable.single.threaded.check";

    private ChronicleProperties() {
    }

    /**
     * Chronicle would otherwise try to send usage analytics at start: a service at a hub has no
     * business calling out to the internet. Chronicle has no switch for this per queue.
     */
    public static void noAnalytics() {
        setUnlessGiven(ANALYTICS_DISABLE, "true");
    }

    /**
     * No check, on each call, that a queue's appender and tailers stay on one thread: for a
     * process whose every queue has one owner thread by design.
     */
    public static void noSingleThreadedCheck() {
        setUnlessGiven(SINGLE_THREADED_CHECK_DISABLE, "true");
    }

    private static void setUnlessGiven(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}
