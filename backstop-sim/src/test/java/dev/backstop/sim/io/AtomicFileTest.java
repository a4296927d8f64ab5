package dev.backstop.sim.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole texts and streams land whole, with ordinary permissions, or not at all; a set of them lands
 * together or not at all, even when a move fails midway or the process is killed.
 */
class AtomicFileTest {

  @TempDir Path dir;

  /**
   * The earlier writer left {@code .NAME.<hex>.tmp} beside a target when it was killed: the next
   * write of that target removes those, and only those.
   */
  @Test
  void removesTheEarlierWritersLeftoversOfTheSameOutputOnly() throws IOException {
    Path target = dir.resolve("events.jsonl");
    Path stale = Files.writeString(dir.resolve(".events.jsonl.3fa2b1c4d5e6f708.tmp"), "cut mid-li");
    Path stale2 = Files.writeString(dir.resolve(".events.jsonl.7.tmp"), "x");
    List<Path> kept =
        List.of(
            Files.writeString(dir.resolve(".events.jsonl.notHex.tmp"), "x"),
            Files.writeString(dir.resolve(".events.jsonl.3FA2.tmp"), "x"),
            Files.writeString(dir.resolve(".other.jsonl.3fa2.tmp"), "x"),
            Files.writeString(dir.resolve("events.jsonl.3fa2.tmp"), "x"),
            Files.writeString(dir.resolve(".events.jsonl.3fa2b1c4d5e6f7089.tmp"), "x"));
    AtomicFile.staged(target, "{}\n").commit();
    assertThat(target).hasContent("{}");
    assertThat(stale).doesNotExist();
    assertThat(stale2).doesNotExist();
    kept.forEach(p -> assertThat(p).exists());
  }

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
      // staged out of sight: nothing beside the targets but the staging directory
      assertThat(names(dir)).containsExactly(StagingArea.DIRECTORY);
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

  @Test
  void aMoveThatFailsMidwayPutsBackTheOutputsAlreadyMoved() throws IOException {
    Path a = dir.resolve("a.txt");
    Path b = dir.resolve("sub/b.txt");
    Path c = dir.resolve("c.txt");
    Files.writeString(a, "old a");
    Files.writeString(c, "old c");
    List<AtomicFile> files =
        List.of(
            AtomicFile.staged(a, "new a"),
            AtomicFile.staged(b, "new b"),
            AtomicFile.staged(c, "new c"));
    int[] moves = {0};
    AtomicFile.CommitException e =
        catchThrowableOfType(
            AtomicFile.CommitException.class,
            () ->
                AtomicFile.commitAll(
                    files,
                    (staged, target) -> {
                      if (moves[0]++ == 2) {
                        throw new IOException("no space left on device");
                      }
                      StagingArea.move(staged, target);
                    }));
    assertThat(e.target()).isEqualTo(c.toAbsolutePath());
    assertThat(e.getCause()).hasMessage("no space left on device");
    // a and b had been moved: a has its old content back, b (new) is gone again
    assertThat(Files.readString(a)).isEqualTo("old a");
    assertThat(b).doesNotExist();
    assertThat(Files.readString(c)).isEqualTo("old c");
    assertThat(names(dir)).containsExactlyInAnyOrder("a.txt", "c.txt", "sub");
    assertThat(names(dir.resolve("sub"))).isEmpty();
    for (AtomicFile f : files) {
      f.close();
      assertThatThrownBy(f::commit).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void anEmptySetCommitsNothing() throws IOException {
    AtomicFile.commitAll(List.of());
    assertThat(names(dir)).isEmpty();
  }

  @Test
  void aSetLandsWholeAcrossDirectories() throws IOException {
    Path a = dir.resolve("x/a.txt");
    Path b = dir.resolve("y/b.txt");
    Files.createDirectories(b.getParent());
    Files.writeString(b, "old b");
    try (AtomicFile fa = AtomicFile.staged(a, "new a");
        AtomicFile fb = AtomicFile.staged(b, "new b")) {
      assertThat(names(b.getParent())).containsExactlyInAnyOrder("b.txt", StagingArea.DIRECTORY);
      AtomicFile.commitAll(List.of(fa, fb));
    }
    assertThat(Files.readString(a)).isEqualTo("new a");
    assertThat(Files.readString(b)).isEqualTo("new b");
    assertThat(names(a.getParent())).containsExactly("a.txt");
    assertThat(names(b.getParent())).containsExactly("b.txt");
  }

  /**
   * A process killed (SIGKILL) while its outputs are staged leaves them in the staging directory
   * only, never beside the targets, and the earlier outputs as they were; the next process that
   * stages an output in that directory removes what the dead one left.
   */
  @Test
  void aProcessKilledWhileWritingLeavesOnlyAStagingAreaThatTheNextRemoves() throws Exception {
    Path events = dir.resolve("events.jsonl");
    Path state = dir.resolve("state.json");
    Files.writeString(events, "old events\n");
    Process child = crash("staged", events.toString(), state.toString());
    child.destroyForcibly();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(names(dir)).containsExactlyInAnyOrder("events.jsonl", StagingArea.DIRECTORY);
    assertThat(names(dir.resolve(StagingArea.DIRECTORY))).hasSize(2);
    assertThat(Files.readString(events)).isEqualTo("old events\n");

    AtomicFile.write(dir.resolve("other.txt"), "next run");
    assertThat(names(dir)).containsExactlyInAnyOrder("events.jsonl", "other.txt");
    assertThat(Files.readString(events)).isEqualTo("old events\n");
  }

  /**
   * A process stopped dead between two moves of a set spanning two directories leaves a set half in
   * place; the next process staging an output in either directory puts the whole set back: the
   * moved outputs get their previous content again, or are removed if they had none.
   */
  @Test
  void aProcessKilledDuringTheMovesIsRolledBackByTheNext() throws Exception {
    Path a = dir.resolve("one/a.txt");
    Path b = dir.resolve("one/b.txt");
    Path c = dir.resolve("two/c.txt");
    Files.createDirectories(a.getParent());
    Files.createDirectories(c.getParent());
    Files.writeString(a, "old a");
    Files.writeString(c, "old c");
    Process child = crash("moves", "2", a.toString(), b.toString(), c.toString());
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).isEqualTo(9);
    // the dead process had moved a and b, not c
    assertThat(Files.readString(a)).isEqualTo("new a.txt\n");
    assertThat(Files.readString(b)).isEqualTo("new b.txt\n");
    assertThat(Files.readString(c)).isEqualTo("old c");

    // the next output staged in the other directory recovers the set in both
    try (AtomicFile next = AtomicFile.create(dir.resolve("two/d.txt"))) {
      assertThat(next.target().getParent()).isEqualTo(c.getParent().toAbsolutePath());
      assertThat(Files.readString(a)).isEqualTo("old a");
      assertThat(b).doesNotExist();
      assertThat(Files.readString(c)).isEqualTo("old c");
      assertThat(names(a.getParent())).containsExactly("a.txt");
    }
    assertThat(names(c.getParent())).containsExactly("c.txt");
  }

  /** Starts {@link StagingCrash} and waits until it has staged its files. */
  private static Process crash(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx64m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(StagingCrash.class.getName());
    command.addAll(List.of(args));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (!"staged".equals(line)) {
      child.destroyForcibly();
      throw new IllegalStateException("the child said: " + line);
    }
    return child;
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).toList();
    }
  }
}
