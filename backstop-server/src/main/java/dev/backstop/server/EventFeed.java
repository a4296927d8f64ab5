package dev.backstop.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The events served so far as a stream: a bounded ring of the most recent ones, as JSON lines, and
 * the subscribers that receive each new one. The engine thread publishes after every force, so a
 * subscriber sees only acknowledged events, in order, each once.
 */
final class EventFeed {

  /** A receiver of event lines; it must not block (it queues and sends on its own thread). */
  interface Subscriber {
    void accept(long seq, String line);
  }

  /** Why a resume point cannot be served. */
  static final class ResumeRefused extends Exception {
    private static final long serialVersionUID = 1L;

    ResumeRefused(String message) {
      super(message, null, false, false);
    }
  }

  private final String[] ring;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final long first;
  private long next;

  /**
   * @param capacity events kept for resumes
   * @param next the number the next event will take (events recovered from the journal are not in
   *     the ring)
   */
  EventFeed(int capacity, long next) {
    this.ring = new String[capacity];
    this.first = next;
    this.next = next;
  }

  /** Publishes the next event; its number is the feed's next. */
  synchronized void publish(String line) {
    long seq = next++;
    ring[(int) (seq % ring.length)] = line;
    for (Subscriber s : subscribers) {
      s.accept(seq, line);
    }
  }

  /** The number the next event will take. */
  synchronized long next() {
    return next;
  }

  /** The oldest event number still in the ring. */
  synchronized long oldest() {
    return Math.max(first, next - ring.length);
  }

  /**
   * Subscribes from {@code from}: the events from it that the ring holds are given to {@code
   * subscriber} first, then every new one, with no gap and no repeat.
   *
   * @param from the first event wanted, or null for new events only
   * @throws ResumeRefused if {@code from} is older than the ring or after the next event
   */
  synchronized void subscribe(Long from, Subscriber subscriber) throws ResumeRefused {
    if (from != null) {
      long oldest = oldest();
      if (from < oldest) {
        throw new ResumeRefused(
            "from="
                + from
                + " is older than the oldest event kept in memory (seq "
                + oldest
                + "); resume from "
                + oldest
                + " or later");
      }
      if (from > next) {
        throw new ResumeRefused(
            "from=" + from + " is after the next event (seq " + next + "); nothing that far yet");
      }
      for (long seq = from; seq < next; seq++) {
        subscriber.accept(seq, ring[(int) (seq % ring.length)]);
      }
    }
    subscribers.add(subscriber);
  }

  void unsubscribe(Subscriber subscriber) {
    subscribers.remove(subscriber);
  }
}
