package io.sorthub.kit.chronicle;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Set when not given; a value given on the command line wins. */
class ChroniclePropertiesTest {
    private final String before = System.getProperty(ChronicleProperties.SINGLE_THREADED_CHECK_DISABLE);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(ChronicleProperties.SINGLE_THREADED_CHECK_DISABLE);
        } else {
            System.setProperty(ChronicleProperties.SINGLE_THREADED_CHECK_DISABLE, before);
        }
    }

    @Test
    void setWhenNotGiven() {
        System.clearProperty(ChronicleProperties.SINGLE_THREADED_CHECK_DISABLE);
        ChronicleProperties.noSingleThreadedCheck();
        assertThat(System.getProperty(ChronicleProperties.SINGLE_THREADED_CHECK_DISABLE)).isEqualTo("true");
    }

    @Test
    void aGivenValueWins() {
        System.setProperty(ChronicleProperties.SINGLE_THREADED_CHECK_DISABLE, "false");
        ChronicleProperties.noSingleThreadedCheck();
        assertThat(System.getProperty(ChronicleProperties.SINGLE_THREADED_CHECK_DISABLE)).isEqualTo("false");
    }
}
