package io.sorthub.hub.routing;

import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * A byte trie over prefixes (destinations: postcodes, routing codes; or barcodes). Each node
 * holds the plan positions, ascending, of the rules whose condition names exactly that
 * prefix. A lookup walks the key once; the rules that can match are those on the nodes it
 * passes. Nodes live in flat arrays (children sorted by byte, binary-searched), so a lookup
 * touches no node objects.
 */
public final class PrefixIndex {
    private final int[][] rulesAt;
    private final int[] firstChild;
    private final int[] childCount;
    private final byte[] childKeys;
    private final int[] childNodes;

    private PrefixIndex(int[][] rulesAt, int[] firstChild, int[] childCount, byte[] childKeys, int[] childNodes) {
        this.rulesAt = rulesAt;
        this.firstChild = firstChild;
        this.childCount = childCount;
        this.childKeys = childKeys;
        this.childNodes = childNodes;
    }

    /** Root node; {@link #child} walks down, -1 when the path ends. */
    public static int root() {
        return 0;
    }

    public int child(int node, byte key) {
        int low = firstChild[node];
        int high = low + childCount[node] - 1;
        while (low <= high) {
            final int mid = (low + high) >>> 1;
            final byte k = childKeys[mid];
            if (k < key) {
                low = mid + 1;
            } else if (k > key) {
                high = mid - 1;
            } else {
                return childNodes[mid];
            }
        }
        return -1;
    }

    /** Rule positions whose condition is exactly this node's prefix; null when none. */
    public int[] rulesAt(int node) {
        return rulesAt[node];
    }

    /** Walks {@code key}; writes each node on the path that has rules into {@code pathOut}, returns how many. */
    int walk(DirectBuffer key, int offset, int length, int[] pathOut) {
        int node = 0;
        int count = 0;
        for (int i = 0; i < length; i++) {
            node = child(node, key.getByte(offset + i));
            if (node < 0) {
                break;
            }
            if (rulesAt[node] != null) {
                pathOut[count++] = node;
            }
        }
        return count;
    }

    /**
     * Collects (prefix, rule position) pairs, then builds the trie from them sorted: a pair
     * is two references, where a node object per trie node with a map of children cost
     * hundreds of bytes per node on a plan of a million prefixes. Keys are printable ASCII.
     */
    public static final class Builder {
        private record Entry(String key, int position) {
        }

        private final List<Entry> entries = new ArrayList<>();
        private long keyChars;
        private int longestKey;

        public Builder add(String prefix, int position) {
            entries.add(new Entry(prefix, position));
            keyChars += prefix.length();
            longestKey = Math.max(longestKey, prefix.length());
            return this;
        }

        public PrefixIndex build() {
            final Entry[] sorted = entries.toArray(new Entry[0]);
            java.util.Arrays.sort(sorted, java.util.Comparator.comparing(Entry::key).thenComparingInt(Entry::position));
            // Nodes in creation order: in sorted key order, a node's children are created in
            // ascending byte order, and every prefix shared with the previous key already exists.
            final int capacity = (int) Math.min(Integer.MAX_VALUE - 8, keyChars + 1);
            final int[] parent = new int[capacity];
            final byte[] keyByte = new byte[capacity];
            final int[][] rules = new int[capacity][];
            final int[] path = new int[longestKey + 1];
            int nodes = 1;
            String previous = null;
            final int[] run = new int[sorted.length];
            for (int i = 0; i < sorted.length; ) {
                final String key = sorted[i].key();
                int common = 0;
                if (previous != null) {
                    final int max = Math.min(previous.length(), key.length());
                    while (common < max && previous.charAt(common) == key.charAt(common)) {
                        common++;
                    }
                }
                for (int depth = common; depth < key.length(); depth++) {
                    parent[nodes] = path[depth];
                    keyByte[nodes] = (byte) key.charAt(depth);
                    path[depth + 1] = nodes++;
                }
                int count = 0;
                for (; i < sorted.length && sorted[i].key().equals(key); i++) {
                    if (count == 0 || run[count - 1] != sorted[i].position()) {
                        run[count++] = sorted[i].position();
                    }
                }
                rules[path[key.length()]] = java.util.Arrays.copyOf(run, count);
                previous = key;
            }
            return breadthFirst(nodes, parent, keyByte, rules);
        }

        /** Lay the nodes out breadth first, each node's children side by side in byte order. */
        private static PrefixIndex breadthFirst(int nodes, int[] parent, byte[] keyByte, int[][] rules) {
            final int[] created = new int[nodes + 1]; // children of node n, in creation order: childOf[created[n]..created[n+1])
            for (int n = 1; n < nodes; n++) {
                created[parent[n] + 1]++;
            }
            for (int n = 0; n < nodes; n++) {
                created[n + 1] += created[n];
            }
            final int[] childOf = new int[Math.max(0, nodes - 1)];
            final int[] fill = java.util.Arrays.copyOf(created, nodes);
            for (int n = 1; n < nodes; n++) {
                childOf[fill[parent[n]]++] = n;
            }
            final int[][] rulesAt = new int[nodes][];
            final int[] firstChild = new int[nodes];
            final int[] childCount = new int[nodes];
            final byte[] childKeys = new byte[Math.max(0, nodes - 1)];
            final int[] childNodes = new int[Math.max(0, nodes - 1)];
            final int[] queue = new int[nodes];
            int tail = 1;
            int slot = 0;
            for (int head = 0; head < tail; head++) {
                final int node = queue[head];
                rulesAt[head] = rules[node];
                firstChild[head] = slot;
                childCount[head] = created[node + 1] - created[node];
                for (int c = created[node]; c < created[node + 1]; c++) {
                    final int child = childOf[c];
                    childKeys[slot] = keyByte[child];
                    childNodes[slot] = tail;
                    queue[tail++] = child;
                    slot++;
                }
            }
            return new PrefixIndex(rulesAt, firstChild, childCount, childKeys, childNodes);
        }
    }
}
