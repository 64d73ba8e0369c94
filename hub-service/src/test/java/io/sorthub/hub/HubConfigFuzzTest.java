package io.sorthub.hub;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the hub's config file parser (Jazzer), seeded from
 * {@code HubConfigFuzzTestInputs}: any text is a config or a {@link HubConfig.ConfigException}
 * naming the file, key and line, in bounded memory and time.
 */
class HubConfigFuzzTest {
    @FuzzTest(maxDuration = "20s")
    @Timeout(60)
    void anyTextIsAConfigOrSaysWhatIsWrong(byte[] input) {
        FuzzChecks.parsesOrExplains(input, "hub.yaml", HubConfig.ConfigException.class, HubConfig::parse);
    }
}
