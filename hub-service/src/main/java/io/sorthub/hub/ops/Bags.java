package io.sorthub.hub.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Bags and containers at the chutes (集包): each chute has at most one open bag; a bag-tag scan
 * (or an operator) opens the next one, sealing the one before; a seal closes it. A parcel
 * confirmed into a chute belongs to the bag open there when its confirmation was journaled, so
 * a bag is its chute and the journal range [opened, sealed): its parcels are read back from the
 * journal, and memory holds only the bags themselves. Changed by the journal writer (and
 * replay), read by the HTTP API.
 */
public final class Bags {
    /** A bag; {@code sealedIndex} is 0 while it is open. */
    public record Bag(String id, int outlet, long openedIndex, long openedAtMs, long sealedIndex, long sealedAtMs) {
        public boolean open() {
            return sealedIndex == 0;
        }

        Bag sealed(long index, long atMs) {
            return new Bag(id, outlet, openedIndex, openedAtMs, index, atMs);
        }
    }

    /** Bags kept for look-up, at most (the journal keeps every one). */
    public static final int MAX_BAGS = 1_000_000;

    private final Map<String, Bag> byId = new ConcurrentHashMap<>();
    private final Map<Integer, ConcurrentSkipListMap<Long, Bag>> byOutlet = new ConcurrentHashMap<>();

    /** A bag tagged at a chute at journal {@code index}: it opens, the one open there is sealed. */
    public synchronized void open(int outlet, String bagId, long index, long atMs) {
        final Bag already = openAt(outlet);
        if (already != null && already.id().equals(bagId)) {
            return; // the open bag's tag scanned again (or a checkpoint's copy of it): it stays open, whole
        }
        seal(outlet, null, index, atMs);
        final Bag bag = new Bag(bagId, outlet, index, atMs, 0, 0);
        byId.put(bagId, bag);
        byOutlet.computeIfAbsent(outlet, o -> new ConcurrentSkipListMap<>()).put(index, bag);
        if (byId.size() > MAX_BAGS) {
            forgetOldest();
        }
    }

    /** Seal the open bag of a chute ({@code bagId} null or empty: whichever is open). */
    public synchronized Bag seal(int outlet, String bagId, long index, long atMs) {
        final Bag open = openAt(outlet);
        if (open == null || (bagId != null && !bagId.isEmpty() && !bagId.equals(open.id()))) {
            return null;
        }
        final Bag sealed = open.sealed(index, atMs);
        byId.put(sealed.id(), sealed);
        byOutlet.get(outlet).put(open.openedIndex(), sealed);
        return sealed;
    }

    /** The bag open at a chute now, or null. */
    public Bag openAt(int outlet) {
        final ConcurrentSkipListMap<Long, Bag> bags = byOutlet.get(outlet);
        if (bags == null || bags.isEmpty()) {
            return null;
        }
        final Bag last = bags.lastEntry().getValue();
        return last.open() ? last : null;
    }

    /** The bag that was open at a chute when journal {@code index} was written, or null. */
    public Bag at(int outlet, long index) {
        final ConcurrentSkipListMap<Long, Bag> bags = byOutlet.get(outlet);
        if (bags == null) {
            return null;
        }
        final Map.Entry<Long, Bag> e = bags.floorEntry(index);
        if (e == null) {
            return null;
        }
        final Bag bag = e.getValue();
        return bag.open() || index < bag.sealedIndex() ? bag : null;
    }

    public Bag find(String bagId) {
        return byId.get(bagId);
    }

    /** Every bag of a chute, newest first, {@code limit} at most. */
    public List<Bag> ofOutlet(int outlet, int limit) {
        final List<Bag> out = new ArrayList<>();
        final ConcurrentSkipListMap<Long, Bag> bags = byOutlet.get(outlet);
        if (bags != null) {
            for (Bag bag : bags.descendingMap().values()) {
                if (out.size() == limit) {
                    break;
                }
                out.add(bag);
            }
        }
        return out;
    }

    public int size() {
        return byId.size();
    }

    /** The bags open now, one per chute at most. */
    public List<Bag> openBags() {
        final List<Bag> open = new java.util.ArrayList<>();
        for (ConcurrentSkipListMap<Long, Bag> bags : byOutlet.values()) {
            final Map.Entry<Long, Bag> last = bags.lastEntry();
            if (last != null && last.getValue().open()) {
                open.add(last.getValue());
            }
        }
        return open;
    }

    /** Chutes with an open bag. */
    public int openCount() {
        int n = 0;
        for (ConcurrentSkipListMap<Long, Bag> bags : byOutlet.values()) {
            final Map.Entry<Long, Bag> last = bags.lastEntry();
            if (last != null && last.getValue().open()) {
                n++;
            }
        }
        return n;
    }

    private void forgetOldest() {
        // Rare: a million bags. Drop the oldest sealed tenth; their records stay in the journal.
        byId.values().stream().filter(b -> !b.open()).sorted(java.util.Comparator.comparingLong(Bag::openedIndex))
            .limit(MAX_BAGS / 10).toList().forEach(b -> {
                byId.remove(b.id());
                byOutlet.get(b.outlet()).remove(b.openedIndex());
            });
    }
}
