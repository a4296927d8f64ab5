package dev.backstop.server;

import java.nio.file.Path;

/**
 * The server as a child process for {@link CrashTest}: prints its port, then serves until killed.
 * Dev mode (no keys): the test is about durability, and AuthTest covers keys.
 */
public final class CrashTestServer {

  private CrashTestServer() {}

  /** {@code DATA_DIR SNAPSHOT_EVERY}. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    ServerConfig config =
        ServerConfig.load(dir).withPort(0).withSnapshotEvery(Long.parseLong(args[1])).withDevMode();
    BackstopServer server = BackstopServer.start(dir, config);
    System.out.println("PORT " + server.port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
