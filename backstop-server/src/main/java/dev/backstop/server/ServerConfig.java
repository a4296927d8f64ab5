package dev.backstop.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.backstop.sim.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of {@code backstop serve}, read from {@code backstop-server.json} in the data
 * directory and written there with the defaults on the first start ({@code docs/api.md},
 * "Configuration").
 *
 * @param host the address to listen on; loopback by default
 * @param port the HTTP port; 0 picks a free one
 * @param snapshotEvery a snapshot after every this many commands
 * @param maxRequestBytes the largest request body accepted
 * @param eventRing how many recent events are kept in memory for WebSocket resumes
 * @param genesis the commands journaled on the first start of an empty data directory (the
 *     markets); they are then commands like any other, so editing them later changes nothing
 * @param auth how requests are authenticated and rate-limited; the defaults when absent
 * @param history how much account and venue history the service keeps; the defaults when absent
 */
public record ServerConfig(
    String host,
    int port,
    long snapshotEvery,
    int maxRequestBytes,
    int eventRing,
    List<JsonNode> genesis,
    Auth auth,
    History history) {

  /** Authentication modes: API keys ({@code keys}) or none at all ({@code dev}, loopback only). */
  public static final List<String> AUTH_MODES = List.of("keys", "dev");

  /**
   * A token bucket: {@code perSecond} tokens added each second, at most {@code burst} held; one
   * request takes one token.
   *
   * @param perSecond the sustained rate, requests per second
   * @param burst the most requests accepted at once after a quiet spell
   */
  public record RateLimit(double perSecond, int burst) {
    /** Checks the rate and the burst. */
    public RateLimit {
      if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
        throw new IllegalArgumentException("perSecond must be positive, not " + perSecond);
      }
      if (burst < 1) {
        throw new IllegalArgumentException("burst must be at least 1, not " + burst);
      }
    }
  }

  /**
   * Authentication and rate limits ({@code docs/api.md}, "Authentication").
   *
   * @param mode {@code keys}: every request but the public ones needs an API key; {@code dev}: no
   *     key, every request acts as the operator and trader endpoints name the account with {@code
   *     account=} (for a loopback demo only)
   * @param trader the rate limit of each trader key
   * @param operator the rate limit of each operator key
   * @param anonymous the rate limit of each client address without a key (public endpoints, and
   *     refused requests)
   */
  public record Auth(String mode, RateLimit trader, RateLimit operator, RateLimit anonymous) {
    /** Checks the mode; absent limits take the defaults. */
    public Auth {
      if (mode == null) {
        mode = "keys";
      }
      if (!AUTH_MODES.contains(mode)) {
        throw new IllegalArgumentException(
            "auth.mode must be one of " + AUTH_MODES + ", not " + mode);
      }
      trader = trader == null ? new RateLimit(20, 40) : trader;
      operator = operator == null ? new RateLimit(10_000, 20_000) : operator;
      anonymous = anonymous == null ? new RateLimit(20, 40) : anonymous;
    }

    /** Whether requests need no key. */
    public boolean dev() {
      return mode.equals("dev");
    }
  }

  /**
   * The history the service derives from the engine's events and keeps, in memory and in its
   * snapshots ({@code docs/api.md}, "History").
   *
   * @param perAccount the newest trades, transfers and notifications kept per account, each
   * @param venue the newest liquidation, deleveraging and backstop events kept for the operator,
   *     and the newest balances kept per insurance fund
   */
  public record History(int perAccount, int venue) {
    /** Checks both bounds. */
    public History {
      if (perAccount < 1 || venue < 1) {
        throw new IllegalArgumentException(
            "history.perAccount and history.venue must be at least 1, not "
                + perAccount
                + " and "
                + venue);
      }
    }
  }

  /** The file name of the configuration in the data directory. */
  public static final String FILE = "backstop-server.json";

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  /** Checks every setting. */
  public ServerConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must be given");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535, not " + port);
    }
    if (snapshotEvery < 1) {
      throw new IllegalArgumentException("snapshotEvery must be at least 1, not " + snapshotEvery);
    }
    if (maxRequestBytes < 1024 || maxRequestBytes > Journal.MAX_PAYLOAD) {
      throw new IllegalArgumentException(
          "maxRequestBytes must be 1024 to " + Journal.MAX_PAYLOAD + ", not " + maxRequestBytes);
    }
    if (eventRing < 1) {
      throw new IllegalArgumentException("eventRing must be at least 1, not " + eventRing);
    }
    genesis = genesis == null ? List.of() : List.copyOf(genesis);
    auth = auth == null ? new Auth("keys", null, null, null) : auth;
    history = history == null ? new History(1000, 5000) : history;
  }

  /**
   * The embedded defaults: loopback, port 8080, and BTC-PERP and ETH-PERP from the binance preset.
   */
  public static ServerConfig defaults() {
    List<JsonNode> markets = new ArrayList<>();
    for (String market : List.of("BTC-PERP", "ETH-PERP")) {
      markets.add(
          MAPPER
              .createObjectNode()
              .put("type", "market")
              .put("market", market)
              .put("preset", "binance"));
    }
    return new ServerConfig("127.0.0.1", 8080, 10_000, 1 << 20, 65_536, markets, null, null);
  }

  /** The same settings with another port. */
  public ServerConfig withPort(int newPort) {
    return new ServerConfig(
        host, newPort, snapshotEvery, maxRequestBytes, eventRing, genesis, auth, history);
  }

  /** The same settings listening on another address. */
  public ServerConfig withHost(String newHost) {
    return new ServerConfig(
        newHost, port, snapshotEvery, maxRequestBytes, eventRing, genesis, auth, history);
  }

  /** The same settings with another snapshot interval. */
  public ServerConfig withSnapshotEvery(long every) {
    return new ServerConfig(host, port, every, maxRequestBytes, eventRing, genesis, auth, history);
  }

  /** The same settings with other authentication and rate limits. */
  public ServerConfig withAuth(Auth newAuth) {
    return new ServerConfig(
        host, port, snapshotEvery, maxRequestBytes, eventRing, genesis, newAuth, history);
  }

  /** The same settings with other history bounds. */
  public ServerConfig withHistory(History newHistory) {
    return new ServerConfig(
        host, port, snapshotEvery, maxRequestBytes, eventRing, genesis, auth, newHistory);
  }

  /** The same settings without a key ({@code auth.mode} {@code dev}), the limits kept. */
  public ServerConfig withDevMode() {
    return withAuth(new Auth("dev", auth.trader(), auth.operator(), auth.anonymous()));
  }

  /** The genesis commands as journal lines: compact JSON, one object each. */
  public List<String> genesisLines() {
    List<String> lines = new ArrayList<>();
    for (JsonNode command : genesis) {
      lines.add(command.toString());
    }
    return lines;
  }

  /**
   * The configuration of a data directory: its {@link #FILE}, or the defaults, written there first
   * when the file is absent.
   */
  public static ServerConfig load(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE);
    if (!Files.exists(file)) {
      ServerConfig defaults = defaults();
      AtomicFile.write(
          file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(defaults) + "\n");
      return defaults;
    }
    try {
      return MAPPER.readValue(file.toFile(), ServerConfig.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }
}
