package io.sorthub.hub.security;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sorthub.test.FuzzChecks;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the devices file parser (Jazzer): any text is a set of device
 * credentials or a {@link DeviceRegistry.DevicesException} naming the file and the entry,
 * in bounded memory and time. A broken edit must never take the hub down, and whatever
 * surrounds a secret, no error quotes it.
 */
class DevicesFileFuzzTest {
    @FuzzTest(maxDuration = "20s")
    @Timeout(60)
    void anyTextIsDevicesOrSaysWhatIsWrong(byte[] input) {
        FuzzChecks.parsesOrExplains(input, "devices.yaml", DeviceRegistry.DevicesException.class, DeviceRegistry::parse);
        FuzzChecks.neverQuotesTheSecret(input, "devices:\n  - {sourceId: 1, secret: \"%s\"}\n", "devices.yaml",
            DeviceRegistry::parse);
    }
}
