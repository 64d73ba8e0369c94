package io.sorthub.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The bounds, at every byte value and signed, as the hub's checks had them. */
class AsciiTest {
    @Test
    void aCodeIsBytes0x21To0x7eAndATextAlsoTheSpace() {
        for (int c = 0; c <= 0xFF; c++) {
            assertThat(Ascii.isCodeChar(c)).as("code %02X", c).isEqualTo(c >= 0x21 && c <= 0x7E);
            assertThat(Ascii.isTextChar(c)).as("text %02X", c).isEqualTo(c >= 0x20 && c <= 0x7E);
            assertThat(Ascii.isControl(c)).as("control %02X", c).isEqualTo(c <= 0x1F || c == 0x7F);
        }
        for (int b = Byte.MIN_VALUE; b < 0; b++) { // a byte above 0x7F, as a signed byte
            assertThat(Ascii.isCodeChar((byte) b) || Ascii.isTextChar((byte) b) || Ascii.isControl((byte) b)).isFalse();
        }
        assertThat(Ascii.isCodeChar('é')).isFalse();
    }

    @Test
    void stringsAreCheckedWhole() {
        assertThat(Ascii.isCode("SF1234567890")).isTrue();
        assertThat(Ascii.isCode("SF 12")).isFalse();
        assertThat(Ascii.isText("recall 12")).isTrue();
        assertThat(Ascii.isText("recall\t12")).isFalse();
        assertThat(Ascii.isCode("")).isTrue();
    }
}
