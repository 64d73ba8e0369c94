package io.sorthub.hub.routing;

import io.sorthub.protocol.Ascii;
import org.agrona.DirectBuffer;

/**
 * Barcode validity without allocation: printable ASCII only, and for UPU S10 item ids
 * (two letters, eight digits, a check digit, two letters: "RR123456785CN") the check digit
 * must be right. Weights 8 6 4 2 3 5 9 7; check = 11 - sum mod 11, 10 becomes 0, 11 becomes 5.
 */
public final class BarcodeCheck {
    private static final int[] S10_WEIGHTS = {8, 6, 4, 2, 3, 5, 9, 7};

    private BarcodeCheck() {
    }

    public static boolean valid(DirectBuffer buffer, int offset, int length, boolean checkDigits) {
        for (int i = 0; i < length; i++) {
            final byte b = buffer.getByte(offset + i);
            if (!Ascii.isCodeChar(b)) {
                return false;
            }
        }
        return !checkDigits || !looksLikeS10(buffer, offset, length) || s10CheckDigitOk(buffer, offset);
    }

    static boolean looksLikeS10(DirectBuffer buffer, int offset, int length) {
        if (length != 13) {
            return false;
        }
        for (int i = 0; i < 13; i++) {
            final byte b = buffer.getByte(offset + i);
            final boolean letter = b >= 'A' && b <= 'Z';
            final boolean digit = b >= '0' && b <= '9';
            if ((i < 2 || i > 10) ? !letter : !digit) {
                return false;
            }
        }
        return true;
    }

    static boolean s10CheckDigitOk(DirectBuffer buffer, int offset) {
        int sum = 0;
        for (int i = 0; i < 8; i++) {
            sum += (buffer.getByte(offset + 2 + i) - '0') * S10_WEIGHTS[i];
        }
        int check = 11 - sum % 11;
        if (check == 10) {
            check = 0;
        } else if (check == 11) {
            check = 5;
        }
        return buffer.getByte(offset + 10) - '0' == check;
    }
}
