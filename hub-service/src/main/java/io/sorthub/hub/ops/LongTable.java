package io.sorthub.hub.ops;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A hash table of long keys to long values that event loops read on the decision path
 * without a lock or an allocation, while a rare writer (an operator's change, replay) updates
 * it. Open addressing, linear probing; a key is written after its value (release) and read
 * before it (acquire), so a reader never sees a key without its value. Removal leaves the key
 * with {@link #ABSENT} as its value. Growth builds a bigger table and publishes it whole.
 *
 * <p>Keys are 64-bit hashes (never 0): a lookup that matches a different text with the same
 * hash is possible in principle (about 1 in 10^13 per lookup with a million entries).
 */
final class LongTable {
    static final long ABSENT = Long.MIN_VALUE;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long EMPTY = 0;

    /** keys at even slots, values at odd ones. */
    private volatile long[] slots;
    private int used;
    private volatile int live;

    LongTable(int initialCapacity) {
        slots = new long[2 * Integer.highestOneBit(Math.max(16, initialCapacity * 2 - 1)) * 2];
    }

    /** Any thread, wait-free. */
    long get(long key) {
        final long[] s = slots;
        final int mask = (s.length >> 1) - 1;
        for (int i = index(key, mask); ; i = (i + 1) & mask) {
            final long k = (long) SLOTS.getAcquire(s, 2 * i);
            if (k == EMPTY) {
                return ABSENT;
            }
            if (k == key) {
                return (long) SLOTS.getAcquire(s, 2 * i + 1);
            }
        }
    }

    /** One writer at a time. */
    synchronized void put(long key, long value) {
        if (key == EMPTY || value == ABSENT) {
            throw new IllegalArgumentException("key 0 and value ABSENT are reserved");
        }
        if ((used + 1) * 2 > (slots.length >> 1)) {
            grow();
        }
        final boolean present = get(key) != ABSENT;
        if (insert(slots, key, value)) {
            used++;
        }
        if (!present) {
            live++;
        }
    }

    /** @return true when the key was present */
    synchronized boolean remove(long key) {
        final long[] s = slots;
        final int mask = (s.length >> 1) - 1;
        for (int i = index(key, mask); ; i = (i + 1) & mask) {
            final long k = s[2 * i];
            if (k == EMPTY) {
                return false;
            }
            if (k == key) {
                final boolean present = s[2 * i + 1] != ABSENT;
                SLOTS.setRelease(s, 2 * i + 1, ABSENT);
                if (present) {
                    live--;
                }
                return present;
            }
        }
    }

    synchronized void clear() {
        slots = new long[slots.length];
        used = 0;
        live = 0;
    }

    /** Every present entry, in table order. */
    synchronized void forEach(java.util.function.BiConsumer<Long, Long> visitor) {
        final long[] s = slots;
        for (int i = 0; i < s.length; i += 2) {
            if (s[i] != EMPTY && s[i + 1] != ABSENT) {
                visitor.accept(s[i], s[i + 1]);
            }
        }
    }

    /** Slots of the table (for tests of its growth). */
    int capacity() {
        return slots.length >> 1;
    }

    /** Entries present. Any thread. */
    int size() {
        return live;
    }

    /** @return true when a new slot was taken */
    private static boolean insert(long[] s, long key, long value) {
        final int mask = (s.length >> 1) - 1;
        for (int i = index(key, mask); ; i = (i + 1) & mask) {
            final long k = s[2 * i];
            if (k == key) {
                SLOTS.setRelease(s, 2 * i + 1, value);
                return false;
            }
            if (k == EMPTY) {
                SLOTS.setRelease(s, 2 * i + 1, value);
                SLOTS.setRelease(s, 2 * i, key); // the key last: readers never see it without its value
                return true;
            }
        }
    }

    private void grow() {
        final long[] old = slots;
        // Removed keys leave their slots taken: rebuilt at the same size when most are gone,
        // so a table that churns (holds added and released for months) does not grow forever.
        final long[] next = new long[live * 4 < (old.length >> 1) ? old.length : old.length * 2];
        int kept = 0;
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != EMPTY && old[i + 1] != ABSENT) {
                insert(next, old[i], old[i + 1]);
                kept++;
            }
        }
        used = kept;
        slots = next; // published whole
    }

    private static int index(long key, int mask) {
        final long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
