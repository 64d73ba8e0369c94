package io.sorthub.gateway;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sorthub.hub.FuzzChecks;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the gateway's config parser (Jazzer), custom scanner profiles
 * included, seeded from {@code GatewayConfigFuzzTestInputs}: any text is a config or a
 * {@link GatewayConfig.ConfigException} naming the file, key and line, in bounded memory and time.
 */
class GatewayConfigFuzzTest {
    @FuzzTest(maxDuration = "20s")
    @Timeout(60)
    void anyTextIsAConfigOrSaysWhatIsWrong(byte[] input) {
        FuzzChecks.parsesOrExplains(input, "gateway.yaml", GatewayConfig.ConfigException.class, GatewayConfig::parse);
    }
}
