package dev.backstop.cluster;

/**
 * What a node reports about its replica of the engine: how far it has applied the log and the state
 * hash there. Two replicas that applied the same number of commands must report the same hash.
 *
 * @param member the node's member id
 * @param role {@code leader}, {@code follower} or {@code candidate}
 * @param commands commands applied (client commands and the clock stamps of {@link
 *     EngineClusteredService})
 * @param events events served
 * @param engineTime the engine's clock, milliseconds
 * @param stateHash the engine's state hash ({@code Engine.stateHash()})
 * @param snapshots snapshots this node has taken since it started
 * @param restoredFrom the commands of the snapshot this node started from, or -1 if it replayed the
 *     log from its beginning
 */
public record NodeStatus(
    int member,
    String role,
    long commands,
    long events,
    long engineTime,
    long stateHash,
    long snapshots,
    long restoredFrom) {}
