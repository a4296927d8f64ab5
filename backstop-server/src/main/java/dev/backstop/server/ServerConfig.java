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
 */
public record ServerConfig(
    String host,
    int port,
    long snapshotEvery,
    int maxRequestBytes,
    int eventRing,
    List<JsonNode> genesis) {

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
    return new ServerConfig("127.0.0.1", 8080, 10_000, 1 << 20, 65_536, markets);
  }

  /** The same settings with another port. */
  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, snapshotEvery, maxRequestBytes, eventRing, genesis);
  }

  /** The same settings listening on another address. */
  public ServerConfig withHost(String newHost) {
    return new ServerConfig(newHost, port, snapshotEvery, maxRequestBytes, eventRing, genesis);
  }

  /** The same settings with another snapshot interval. */
  public ServerConfig withSnapshotEvery(long every) {
    return new ServerConfig(host, port, every, maxRequestBytes, eventRing, genesis);
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
