package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.engine.Engine;
import dev.backstop.json.CommandReader;
import dev.backstop.json.EngineJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real server process (SIGKILL) while clients send commands, restarts it, and checks the
 * durability rule: every acknowledged command is recovered exactly once; each client's recovered
 * commands are a prefix of what it sent, in order (so at most its one unanswered request beyond the
 * acknowledged ones); and the recovered state hash is that of a clean replay of the journal.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrashTest {

  private static final int CLIENTS = 4;
  private static final int MAX_PER_CLIENT = 3000;

  @TempDir Path dir;

  @Test
  void everyAcknowledgedCommandSurvivesAKillAndTheStateIsAReplayOfTheJournal() throws Exception {
    long seed = Long.getLong("backstop.seed", System.nanoTime());
    Random random = new Random(seed);
    long killAfterMillis = 300 + random.nextInt(1200);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-XX:+UseSerialGC",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                CrashTestServer.class.getName(),
                dir.toString(),
                "50")
            .redirectErrorStream(true)
            .start();
    List<List<String>> sent = new ArrayList<>();
    List<List<String>> acknowledged = new ArrayList<>();
    try {
      int port = readPort(child);
      Http http = new Http(port);
      List<CompletableFuture<Void>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        List<String> mine = Collections.synchronizedList(new ArrayList<>());
        List<String> acks = Collections.synchronizedList(new ArrayList<>());
        sent.add(mine);
        acknowledged.add(acks);
        int client = c;
        clients.add(CompletableFuture.runAsync(() -> send(http, client, mine, acks)));
      }
      // Mid-load: once the first command is acknowledged (a cold JVM on a busy machine can take
      // longer than the whole delay to answer one), then after the seed's delay.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (acknowledged.stream().mapToLong(List::size).sum() == 0
          && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      Thread.sleep(killAfterMillis);
      child.destroyForcibly();
      assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
      CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    } finally {
      child.destroyForcibly();
    }
    long acks = acknowledged.stream().mapToLong(List::size).sum();
    assertThat(acks).as("seed %d: commands acknowledged before the kill", seed).isPositive();

    String hash;
    try (BackstopServer server = BackstopServer.start(dir, ServerConfig.load(dir).withPort(0))) {
      hash =
          BackstopServerTest.json(new Http(server.port()).get("/api/health"))
              .path("stateHash")
              .asText();
    }
    List<String> journal = new ArrayList<>();
    try (Journal j = Journal.open(dir.resolve("journal.bin"), 0)) {
      j.recovered().forEach(r -> journal.add(new String(r, StandardCharsets.UTF_8)));
    }
    assertThat(new HashSet<>(journal)).as("no command twice").hasSize(journal.size());
    for (int c = 0; c < CLIENTS; c++) {
      String prefix = "\"account\":\"client-" + c + "\"";
      List<String> recovered = journal.stream().filter(l -> l.contains(prefix)).toList();
      assertThat(sent.get(c))
          .as("seed %d client %d: recovered is a prefix of sent", seed, c)
          .startsWith(recovered.toArray(String[]::new));
      assertThat(recovered)
          .as("seed %d client %d: acknowledged are recovered", seed, c)
          .startsWith(acknowledged.get(c).toArray(String[]::new));
      assertThat(recovered.size() - acknowledged.get(c).size()).isBetween(0, 1);
    }
    Engine clean = new Engine();
    CommandReader reader = new CommandReader();
    for (String line : journal) {
      clean.apply(reader.read(line));
    }
    assertThat(hash).as("seed %d", seed).isEqualTo(EngineJson.stateHash(clean.stateHash()));
    Set<String> all = new HashSet<>(journal);
    acknowledged.forEach(a -> assertThat(all).containsAll(a));
  }

  /** One client: one request at a time, until the server is gone or the bound is reached. */
  private static void send(Http http, int client, List<String> sent, List<String> acks) {
    for (int i = 1; i <= MAX_PER_CLIENT; i++) {
      String line =
          "{\"type\":\"deposit\",\"account\":\"client-" + client + "\",\"amount\":\"" + i + "\"}";
      sent.add(line);
      try {
        HttpResponse<String> response = http.post("/api/commands", line);
        if (response.statusCode() != 200) {
          return;
        }
        acks.add(line);
      } catch (IOException | InterruptedException e) {
        return;
      }
    }
  }

  private static int readPort(Process child) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> port =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  if (line.startsWith("PORT ")) {
                    return Integer.parseInt(line.substring(5).trim());
                  }
                }
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              throw new IllegalStateException("the server process ended without a port");
            });
    try {
      return port.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IOException("server process did not start", e);
    }
  }
}
