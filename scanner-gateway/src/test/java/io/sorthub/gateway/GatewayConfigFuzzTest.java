package io.sorthub.gateway;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sorthub.test.FuzzChecks;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the gateway's config parser (Jazzer), custom scanner profiles
 * included, seeded from {@code GatewayConfigFuzzTestInputs}: any text is a config or a
 * {@link GatewayConfig.ConfigException} naming the file, key and line, in bounded memory and time.
 */
class GatewayConfigFuzzTest {
    static {
        // Class loading and initialisation (instrumented by Jazzer) happen once, not per input:
        // they must not count against the first input's allocation bound.
        try {
            GatewayConfig.parse("devices:\n  - {name: a, mode: connect, custom: {framing: stx_crlf, noRead: x}}\n",
                "warm-up.yaml");
        } catch (GatewayConfig.ConfigException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Load the parser before the first input: its classes' one-time set-up (Jackson's view of
     * the settings class, the journal's roll cycles) is not parsing and would count against the
     * first input's memory bound.
     */
    @org.junit.jupiter.api.BeforeAll
    static void loadTheParser() throws Exception {
        GatewayConfig.parse("", "warm-up");
    }

    @FuzzTest(maxDuration = "20s")
    @Timeout(60)
    void anyTextIsAConfigOrSaysWhatIsWrong(byte[] input) {
        FuzzChecks.parsesOrExplains(input, "gateway.yaml", GatewayConfig.ConfigException.class, GatewayConfig::parse);
    }
}
