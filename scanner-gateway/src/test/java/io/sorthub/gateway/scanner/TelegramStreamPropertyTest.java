package io.sorthub.gateway.scanner;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streams built from each profile's grammar: valid telegrams (reads, no-reads, multi-reads,
 * with the padding and line ends the family may use) and garbage between them (bytes outside
 * telegrams, cut-off telegrams, over-long ones, refused lines), cut into reads at random
 * points. Every valid read comes out exactly once, in order, and nothing else comes out as a
 * read.
 */
class TelegramStreamPropertyTest {
    private static final ScannerProfile TWO_BYTE = new ScannerProfile("two-byte-delimiters",
        new Framing(new byte[] {0x1B, '['}, new byte[] {'#', 0x03}), ";", List.of(Field.PARCEL_ID, Field.BARCODE),
        List.of("FAIL"), true, ",", null, Set.of(), ZoneOffset.UTC, 64);
    private static final List<ScannerProfile> PROFILES = List.of(ScannerProfile.SICK_CLV,
        ScannerProfile.COGNEX_DATAMAN, ScannerProfile.DATALOGIC, ScannerProfile.GENERIC_CSV, TWO_BYTE);

    /** Bytes, and the read they must give (null: none). */
    record Item(byte[] bytes, ScannerRead.Type type, String barcode) {
        @Override
        public String toString() {
            return ControlNames.escape(bytes) + (type == null ? "" : " => " + type + " " + barcode);
        }
    }

    record Scenario(ScannerProfile profile, List<Item> items, List<Integer> cuts) {
        @Override
        public String toString() {
            return profile.name() + " " + items + " cut " + cuts;
        }
    }

    @Property(tries = 400)
    void everyValidReadComesOutExactlyOnceInOrder(@ForAll("scenarios") Scenario scenario) {
        final ScannerProfile profile = scenario.profile();
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        final List<String> expected = new ArrayList<>();
        for (Item item : scenario.items()) {
            stream.writeBytes(item.bytes());
            if (item.type() != null) {
                expected.add(item.type() + " " + item.barcode());
            }
        }
        final byte[] all = stream.toByteArray();
        final EmbeddedChannel channel = new EmbeddedChannel(new TelegramDecoder(profile.framing(), profile.maxLineLength()),
            new ScannerLineDecoder(profile));
        final List<String> reads = new ArrayList<>();
        int at = 0;
        for (int i = 0; at < all.length; i++) {
            final int n = Math.min(scenario.cuts().isEmpty() ? all.length : scenario.cuts().get(i % scenario.cuts().size()),
                all.length - at);
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(all, at, at + n)));
            at += n;
            collect(channel, reads);
        }
        channel.finish();
        collect(channel, reads);
        channel.finishAndReleaseAll();
        assertThat(reads).isEqualTo(expected);
    }

    private static void collect(EmbeddedChannel channel, List<String> reads) {
        for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
            if (o instanceof ScannerRead read) {
                if (read.type() != ScannerRead.Type.HEARTBEAT) {
                    reads.add(read.type() + " " + read.barcode());
                }
            } else {
                assertThat(o).isInstanceOf(LineRejected.class);
            }
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Arbitraries.of(PROFILES).flatMap(profile -> Combinators.combine(
                Arbitraries.frequencyOf(Tuple.of(5, valid(profile)), Tuple.of(2, garbage(profile))).list().ofMaxSize(25),
                Arbitraries.integers().between(1, 40).list().ofMaxSize(12))
            .as((items, cuts) -> new Scenario(profile, items, cuts)));
    }

    // --- the grammar of valid telegrams -------------------------------------------------------

    private static Arbitrary<String> code() {
        return Arbitraries.strings().withChars("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-./").ofMinLength(1).ofMaxLength(24)
            .filter(c -> !c.equalsIgnoreCase("NOREAD") && !c.equals("FAIL"));
    }

    private static Arbitrary<Item> valid(ScannerProfile profile) {
        final Arbitrary<Item> read = code().map(c -> item(profile, c, ScannerRead.Type.READ, c));
        final Arbitrary<Item> noRead = Arbitraries.of(noReadWords(profile))
            .map(w -> item(profile, w, ScannerRead.Type.NO_READ, ""));
        final Arbitrary<Item> multi = Combinators.combine(code(), code()).filter((a, b) -> !a.equals(b))
            .as((a, b) -> item(profile, a + profile.codeSeparator() + b, ScannerRead.Type.MULTI_READ, a));
        return Combinators.combine(Arbitraries.frequencyOf(Tuple.of(6, read), Tuple.of(2, noRead), Tuple.of(2, multi)),
            Arbitraries.integers().between(0, 2)).as((item, variant) -> framed(profile, item, variant));
    }

    private static List<String> noReadWords(ScannerProfile profile) {
        final List<String> words = new ArrayList<>(profile.noRead());
        if (!profile.noReadCaseSensitive()) {
            words.add(profile.noRead().get(0).toLowerCase());
        }
        words.add("???");
        return words;
    }

    /** The body of a telegram whose barcode field is {@code codeField}, unframed. */
    private static Item item(ScannerProfile profile, String codeField, ScannerRead.Type type, String barcode) {
        final String body;
        if (profile == ScannerProfile.GENERIC_CSV) {
            body = "P7," + codeField + ",518057,1200,300,200,100,2025-11-22T08:26:40Z";
        } else if (profile == TWO_BYTE) {
            body = "P7;" + codeField;
        } else {
            body = codeField;
        }
        return new Item(body.getBytes(StandardCharsets.ISO_8859_1), type, barcode);
    }

    /** Header, body and terminator, with the padding or line end a device of this family may send (variant 0..2). */
    private static Item framed(ScannerProfile profile, Item body, int variant) {
        final Framing f = profile.framing();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(f.header());
        out.writeBytes(body.bytes());
        if (f.lines()) {
            out.writeBytes(switch (variant) {
                case 0 -> new byte[] {'\r', '\n'};
                case 1 -> new byte[] {'\n'};
                default -> new byte[] {'\r'};
            });
        } else {
            out.writeBytes(switch (variant) {
                case 0 -> new byte[0];
                case 1 -> new byte[] {'\r', '\n'};
                default -> new byte[] {'\r'};
            });
            out.writeBytes(f.terminator());
        }
        return new Item(out.toByteArray(), body.type(), body.barcode());
    }

    // --- garbage ----------------------------------------------------------------------------

    private static Arbitrary<Item> garbage(ScannerProfile profile) {
        final Framing f = profile.framing();
        final Arbitrary<Item> oversize = Arbitraries.integers().between(1, 300).map(extra -> {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(f.header());
            out.writeBytes("X".repeat(profile.maxLineLength() + extra).getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(f.terminator());
            return new Item(out.toByteArray(), null, null);
        });
        if (f.header().length == 0) {
            // A line-framed stream has no way to tell garbage from data but its line ends:
            // garbage here is whole lines the parser refuses.
            final Arbitrary<Item> controlLine = Combinators.combine(code(), code())
                .as((a, b) -> new Item(concat(bytes(a + "\u0001" + b), f.terminator()), null, null));
            final Arbitrary<Item> shortLine = Arbitraries.just(new Item(concat(bytes("junk\u0007"), f.terminator()), null,
                null));
            return Arbitraries.oneOf(controlLine, shortLine, oversize);
        }
        final Arbitrary<Item> outside = Arbitraries.bytes().filter(b -> !delimiter(f, b)).array(byte[].class)
            .ofMinSize(1).ofMaxSize(40).map(b -> new Item(b, null, null));
        final Arbitrary<Item> cutOff = code().map(c -> new Item(concat(f.header(), bytes(c.substring(0, (c.length() + 1) / 2))),
            null, null));
        return Arbitraries.oneOf(outside, cutOff, oversize);
    }

    /** Bytes that could begin or end a telegram: never in generated garbage. */
    private static boolean delimiter(Framing f, byte b) {
        for (byte d : concat(f.header(), f.terminator(), new byte[] {'\r', '\n'})) {
            if (d == b) {
                return true;
            }
        }
        return false;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
