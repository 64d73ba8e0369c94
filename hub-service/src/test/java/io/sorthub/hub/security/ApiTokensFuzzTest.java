package io.sorthub.hub.security;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sorthub.test.FuzzChecks;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the API tokens file parser (Jazzer): any text is a token table
 * or a {@link DeviceRegistry.DevicesException} naming the file and the entry, in bounded
 * memory and time; and whatever surrounds a token, no error quotes it.
 */
class ApiTokensFuzzTest {
    @FuzzTest(maxDuration = "20s")
    @Timeout(60)
    void anyTextIsTokensOrSaysWhatIsWrong(byte[] input) {
        FuzzChecks.parsesOrExplains(input, "tokens.yaml", DeviceRegistry.DevicesException.class, ApiTokens::parse);
        FuzzChecks.neverQuotesTheSecret(input, "tokens:\n  - {name: a, role: viewer, token: \"%s\"}\n", "tokens.yaml",
            ApiTokens::parse);
    }
}
