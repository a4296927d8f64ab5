package dev.backstop.server;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The live streams of {@code /ws/account}: each subscriber receives its account's new history rows
 * (trades, transfers, notifications) and the public market data (prices, funding rounds, markets
 * listed), as one message each: {@code {"channel": ..., "data": ...}}. The engine thread publishes
 * after every force, so a subscriber sees only acknowledged rows, in order.
 */
final class AccountFeed {

  /** A receiver of messages; it must not block (it queues and sends on its own thread). */
  interface Subscriber {
    void accept(String message);
  }

  private final Map<String, Set<Subscriber>> byAccount = new ConcurrentHashMap<>();

  void subscribe(String account, Subscriber subscriber) {
    byAccount.computeIfAbsent(account, a -> new CopyOnWriteArraySet<>()).add(subscriber);
  }

  void unsubscribe(String account, Subscriber subscriber) {
    byAccount.computeIfPresent(
        account,
        (a, set) -> {
          set.remove(subscriber);
          return set.isEmpty() ? null : set;
        });
  }

  /** Subscribers of every account, for tests. */
  int size() {
    return byAccount.values().stream().mapToInt(Set::size).sum();
  }

  void publish(List<History.Published> published) {
    if (byAccount.isEmpty()) {
      return;
    }
    for (History.Published p : published) {
      String message = "{\"channel\":\"" + p.channel() + "\",\"data\":" + p.json() + "}";
      if (p.account() == null) {
        for (Set<Subscriber> set : byAccount.values()) {
          set.forEach(s -> s.accept(message));
        }
      } else {
        Set<Subscriber> set = byAccount.get(p.account());
        if (set != null) {
          set.forEach(s -> s.accept(message));
        }
      }
    }
  }
}
