package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RestartTest {

  @TempDir Path dir;

  private static JsonNode health(BackstopServer server) throws Exception {
    return BackstopServerTest.json(new Http(server.port()).get("/api/health"));
  }

  @Test
  void aStoppedServerStartsAgainWithTheSameStateHashFromSnapshotAndJournalTail() throws Exception {
    ServerConfig config = ServerConfig.load(dir).withPort(0).withSnapshotEvery(4).withDevMode();
    JsonNode before;
    try (BackstopServer server = BackstopServer.start(dir, config)) {
      Http http = new Http(server.port());
      http.post("/api/commands", BackstopServerTest.BOOK);
      http.post("/api/commands", "{\"type\":\"withdraw\",\"account\":\"alice\",\"amount\":\"1\"}");
      before = health(server);
    }
    // snapshot after command 9 (the first batch to reach 4 since the last), then one in the tail
    try (BackstopServer server = BackstopServer.start(dir, config)) {
      JsonNode after = health(server);
      assertThat(after.path("stateHash")).isEqualTo(before.path("stateHash"));
      assertThat(after.path("commands")).isEqualTo(before.path("commands"));
      assertThat(after.path("events")).isEqualTo(before.path("events"));
      assertThat(after.path("nextEventSeq")).isEqualTo(before.path("nextEventSeq"));
      JsonNode next =
          BackstopServerTest.json(
              new Http(server.port())
                  .post("/api/commands", "{\"type\":\"time\",\"time\":1700000300000}"));
      assertThat(next.path("firstCommand").asLong())
          .isEqualTo(before.path("commands").asLong() + 1);
      assertThat(next.path("events").get(0).path("seq").asLong())
          .isEqualTo(before.path("events").asLong() + 1);
    }
  }

  @Test
  void withoutAnySnapshotTheWholeJournalIsReplayed() throws Exception {
    ServerConfig config =
        ServerConfig.load(dir).withPort(0).withSnapshotEvery(1_000_000).withDevMode();
    JsonNode before;
    BackstopServer first = BackstopServer.start(dir, config);
    try {
      new Http(first.port()).post("/api/commands", BackstopServerTest.BOOK);
      before = health(first);
    } finally {
      first.close();
    }
    assertThat(dir.resolve("snapshots")).doesNotExist();
    try (BackstopServer server = BackstopServer.start(dir, config)) {
      assertThat(server.recoveredCommands()).isEqualTo(9);
      assertThat(health(server).path("stateHash")).isEqualTo(before.path("stateHash"));
    }
  }
}
