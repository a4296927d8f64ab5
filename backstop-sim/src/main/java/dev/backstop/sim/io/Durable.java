package dev.backstop.sim.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Forcing files and directories to the device. */
final class Durable {

  private Durable() {}

  /** Forces a file's content to the device. */
  static void force(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /** Writes {@code text} as UTF-8 to a new file and forces it to the device. */
  static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
    force(file);
  }

  /**
   * Makes the renames and deletions in {@code dir} durable where a directory can be opened and
   * forced (not on every platform).
   */
  static void forceDirectory(Path dir) {
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // the change is made; only its durability is not guaranteed here
    }
  }
}
