package io.sorthub.hub.routing;

import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A byte trie over prefixes (destinations: postcodes, routing codes; or barcodes). Each node
 * holds the plan positions, ascending, of the rules whose condition names exactly that
 * prefix. A lookup walks the key once; the rules that can match are those on the nodes it
 * passes. Nodes live in flat arrays (children sorted by byte, binary-searched), so a lookup
 * touches no node objects.
 */
final class PrefixIndex {
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
    static int root() {
        return 0;
    }

    int child(int node, byte key) {
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
    int[] rulesAt(int node) {
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

    static final class Builder {
        private static final class Node {
            final TreeMap<Byte, Node> children = new TreeMap<>();
            final List<Integer> rules = new ArrayList<>(1);
            int index;
        }

        private final Node root = new Node();
        private int nodes = 1;

        Builder add(String prefix, int position) {
            Node node = root;
            for (int i = 0; i < prefix.length(); i++) {
                final byte b = (byte) prefix.charAt(i);
                Node next = node.children.get(b);
                if (next == null) {
                    next = new Node();
                    node.children.put(b, next);
                    nodes++;
                }
                node = next;
            }
            final List<Integer> rules = node.rules;
            if (rules.isEmpty() || rules.get(rules.size() - 1) != position) {
                rules.add(position); // positions arrive in plan order: the list stays sorted
            }
            return this;
        }

        PrefixIndex build() {
            final int[][] rulesAt = new int[nodes][];
            final int[] firstChild = new int[nodes];
            final int[] childCount = new int[nodes];
            final byte[] childKeys = new byte[Math.max(0, nodes - 1)];
            final int[] childNodes = new int[Math.max(0, nodes - 1)];
            final Node[] queue = new Node[nodes];
            int head = 0;
            int tail = 0;
            int slot = 0;
            queue[tail++] = root;
            while (head < tail) {
                final Node node = queue[head++];
                if (!node.rules.isEmpty()) {
                    rulesAt[node.index] = node.rules.stream().mapToInt(Integer::intValue).toArray();
                }
                firstChild[node.index] = slot;
                childCount[node.index] = node.children.size();
                for (var entry : node.children.entrySet()) {
                    final Node child = entry.getValue();
                    child.index = tail;
                    queue[tail++] = child;
                    childKeys[slot] = entry.getKey();
                    childNodes[slot] = child.index;
                    slot++;
                }
            }
            return new PrefixIndex(rulesAt, firstChild, childCount, childKeys, childNodes);
        }
    }
}
