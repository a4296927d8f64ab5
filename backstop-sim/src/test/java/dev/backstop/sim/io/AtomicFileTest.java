package dev.backstop.sim.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole texts and streams land whole, with ordinary permissions, or not at all. */
class AtomicFileTest {

  @TempDir Path dir;

  @Test
  void writesATextIntoANewDirectory() throws IOException {
    Path target = dir.resolve("a/b/out.txt");
    AtomicFile.write(target, "caf\u00e9\n");
    assertThat(Files.readString(target)).isEqualTo("caf\u00e9\n");
    assertThat(names(target.getParent())).containsExactly("out.txt");
  }

  @Test
  void aStreamAppearsOnlyOnCommit() throws IOException {
    Path target = dir.resolve("events.jsonl");
    Files.writeString(target, "old\n");
    try (AtomicFile file = AtomicFile.create(target)) {
      file.writer().write("new\n");
      file.writer().write("lines\n");
      assertThat(Files.readString(target)).isEqualTo("old\n");
      assertThat(file.target()).isEqualTo(target.toAbsolutePath());
      file.commit();
      assertThatThrownBy(file::commit).isInstanceOf(IllegalStateException.class);
    }
    assertThat(Files.readString(target)).isEqualTo("new\nlines\n");
    assertThat(names(dir)).containsExactly("events.jsonl");
  }

  @Test
  void theOutputHasThePermissionsOfAnyNewFile() throws IOException {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Set<PosixFilePermission> ordinary =
        Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain")));
    Path whole = dir.resolve("whole.txt");
    Path streamed = dir.resolve("streamed.txt");
    AtomicFile.write(whole, "x");
    try (AtomicFile file = AtomicFile.create(streamed)) {
      file.writer().write("y");
      file.commit();
    }
    assertThat(Files.getPosixFilePermissions(whole)).isEqualTo(ordinary);
    assertThat(Files.getPosixFilePermissions(streamed)).isEqualTo(ordinary);
  }

  @Test
  void aFailingWriterLeavesTheOldTargetAndNoTemporaryFile() throws IOException {
    Path target = dir.resolve("state.json");
    Files.writeString(target, "old");
    assertThatThrownBy(
            () -> {
              try (AtomicFile file = AtomicFile.create(target)) {
                file.writer().write("half a");
                file.writer().flush();
                throw new IOException("the run failed");
              }
            })
        .hasMessage("the run failed");
    assertThat(Files.readString(target)).isEqualTo("old");
    assertThat(names(dir)).containsExactly("state.json");

    // a text that cannot be encoded as UTF-8 is refused and leaves nothing either
    assertThatThrownBy(() -> AtomicFile.write(target, "\ud800")).isInstanceOf(IOException.class);
    assertThat(Files.readString(target)).isEqualTo("old");
    assertThat(names(dir)).containsExactly("state.json");
  }

  @Test
  void stagedTextsLandTogetherOrNotAtAll() throws IOException {
    Path first = dir.resolve("first.txt");
    Path second = dir.resolve("second.txt");
    try (AtomicFile a = AtomicFile.staged(first, "1");
        AtomicFile b = AtomicFile.staged(second, "2")) {
      assertThat(names(dir)).hasSize(2).noneMatch(List.of("first.txt", "second.txt")::contains);
      a.commit();
      b.commit();
    }
    assertThat(names(dir)).containsExactlyInAnyOrder("first.txt", "second.txt");
    try (AtomicFile a = AtomicFile.staged(first, "changed")) {
      assertThat(Files.readString(a.target())).isEqualTo("1");
    }
    assertThat(Files.readString(first)).isEqualTo("1");
    assertThat(names(dir)).containsExactlyInAnyOrder("first.txt", "second.txt");
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).toList();
    }
  }
}
