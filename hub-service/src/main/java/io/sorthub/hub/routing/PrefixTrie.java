package io.sorthub.hub.routing;

import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * A byte trie over ASCII prefixes whose nodes hold the plan position of the earliest rule
 * with exactly that prefix. Looking up a destination walks its bytes once and keeps the
 * smallest position seen, which is the first matching rule in plan order: the cost grows
 * with the length of the destination, not with the number of rules.
 *
 * <p>Nodes live in flat arrays (child ranges sorted by byte) so that a lookup touches no
 * objects and allocates nothing.
 */
final class PrefixTrie {
    static final int NO_MATCH = Integer.MAX_VALUE;

    // Per node: the earliest rule position ending here, and its children's range in childKeys/childNodes.
    private final int[] position;
    private final int[] firstChild;
    private final int[] childCount;
    private final byte[] childKeys;
    private final int[] childNodes;

    private PrefixTrie(int[] position, int[] firstChild, int[] childCount, byte[] childKeys, int[] childNodes) {
        this.position = position;
        this.firstChild = firstChild;
        this.childCount = childCount;
        this.childKeys = childKeys;
        this.childNodes = childNodes;
    }

    /** @return the smallest position of a rule whose prefix starts {@code key}, or NO_MATCH. */
    int firstMatch(DirectBuffer key, int offset, int length) {
        int node = 0;
        int best = position[0];
        for (int i = 0; i < length; i++) {
            node = child(node, key.getByte(offset + i));
            if (node < 0) {
                break;
            }
            best = Math.min(best, position[node]);
        }
        return best;
    }

    int firstMatch(CharSequence key) {
        int node = 0;
        int best = position[0];
        for (int i = 0; i < key.length(); i++) {
            node = child(node, (byte) key.charAt(i));
            if (node < 0) {
                break;
            }
            best = Math.min(best, position[node]);
        }
        return best;
    }

    private int child(int node, byte key) {
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

    /** Builds the trie from (prefix, position) pairs, then flattens it breadth-first. */
    static final class Builder {
        private static final class Node {
            int position = NO_MATCH;
            final java.util.TreeMap<Byte, Node> children = new java.util.TreeMap<>();
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
            node.position = Math.min(node.position, position);
            return this;
        }

        PrefixTrie build() {
            final int[] position = new int[nodes];
            final int[] firstChild = new int[nodes];
            final int[] childCount = new int[nodes];
            final byte[] childKeys = new byte[Math.max(0, nodes - 1)];
            final int[] childNodes = new int[Math.max(0, nodes - 1)];
            final Node[] queue = new Node[nodes];
            int head = 0;
            int tail = 0;
            int nextChildSlot = 0;
            queue[tail++] = root;
            root.index = 0;
            while (head < tail) {
                final Node node = queue[head++];
                position[node.index] = node.position;
                firstChild[node.index] = nextChildSlot;
                childCount[node.index] = node.children.size();
                for (var entry : node.children.entrySet()) {
                    final Node child = entry.getValue();
                    child.index = tail;
                    queue[tail++] = child;
                    childKeys[nextChildSlot] = entry.getKey();
                    childNodes[nextChildSlot] = child.index;
                    nextChildSlot++;
                }
            }
            Arrays.fill(queue, null);
            return new PrefixTrie(position, firstChild, childCount, childKeys, childNodes);
        }
    }
}
