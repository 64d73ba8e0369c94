package io.sorthub.hub;

import io.sorthub.test.FuzzChecks;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the hub's config file parser (Jazzer), seeded from
 * {@code HubConfigFuzzTestInputs}: any text is a config or a {@link HubConfig.ConfigException}
 * naming the file, key and line, in bounded memory and time.
 */
class HubConfigFuzzTest {
    /**
     * Load the parser before the first input: its classes' one-time set-up (Jackson's view of
     * the settings class, the journal's roll cycles) is not parsing and would count against the
     * first input's memory bound.
     */
    @org.junit.jupiter.api.BeforeAll
    static void loadTheParser() throws Exception {
        HubConfig.parse("", "warm-up");
    }

    @FuzzTest(maxDuration = "20s")
    @Timeout(60)
    void anyTextIsAConfigOrSaysWhatIsWrong(byte[] input) {
        FuzzChecks.parsesOrExplains(input, "hub.yaml", HubConfig.ConfigException.class, HubConfig::parse);
    }
}
