package io.sorthub.hub.journal;

/**
 * What a journal record does to the hub's state beyond the journal itself (a source's
 * sequence aside, which the writer keeps): outlet states, the plan in force, the pair's
 * active, the event counters. Replay applies every record through it at start; a hub pair's
 * standby applies each record it takes from the pair's log, on the writer thread.
 */
@FunctionalInterface
public interface RecordEffects {
    RecordEffects NONE = (index, record) -> { };

    void apply(long journalIndex, JournalRecord record);
}
