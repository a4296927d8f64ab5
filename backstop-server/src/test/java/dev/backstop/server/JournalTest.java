package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

  @TempDir Path dir;

  private static final List<String> RECORDS =
      List.of(
          "{\"type\":\"deposit\",\"account\":\"alice\",\"amount\":\"10\"}",
          "",
          "{\"type\":\"time\",\"time\":5}",
          "{\"type\":\"deposit\",\"account\":\"bob\",\"amount\":\"20.5\"}");

  private Path written() throws IOException {
    Path path = dir.resolve("journal.bin");
    try (Journal journal = Journal.open(path, 0)) {
      for (String r : RECORDS) {
        journal.append(r.getBytes(StandardCharsets.UTF_8));
      }
      journal.force();
    }
    return path;
  }

  private static List<String> texts(Journal journal) {
    List<String> out = new ArrayList<>();
    for (byte[] r : journal.recovered()) {
      out.add(new String(r, StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void recordsComeBackInOrderAndAppendsContinueAfterThem() throws IOException {
    Path path = written();
    try (Journal journal = Journal.open(path, 0)) {
      assertThat(texts(journal)).isEqualTo(RECORDS);
      assertThat(journal.records()).isEqualTo(4);
      assertThat(journal.discardedBytes()).isZero();
      assertThat(journal.append("x".getBytes(StandardCharsets.UTF_8))).isEqualTo(5);
      journal.force();
    }
    try (Journal journal = Journal.open(path, 3)) {
      assertThat(journal.records()).isEqualTo(5);
      assertThat(texts(journal)).containsExactly(RECORDS.get(3), "x");
    }
  }

  @Test
  void aTornLastRecordIsCutOffAtEveryByteOffset() throws IOException {
    Path path = written();
    byte[] whole = Files.readAllBytes(path);
    int lastLength = Journal.HEADER + RECORDS.get(3).length();
    int lastStart = whole.length - lastLength;
    for (int cut = lastStart + 1; cut < whole.length; cut++) {
      Files.write(path, Arrays.copyOf(whole, cut));
      try (Journal journal = Journal.open(path, 0)) {
        assertThat(texts(journal)).as("cut at %d", cut).isEqualTo(RECORDS.subList(0, 3));
        assertThat(journal.discardedBytes()).isEqualTo(cut - lastStart);
        assertThat(Files.size(path)).isEqualTo(lastStart);
        assertThat(Files.readAllBytes(path.resolveSibling("journal.bin.torn-" + lastStart)))
            .isEqualTo(Arrays.copyOfRange(whole, lastStart, cut));
      }
    }
  }

  @Test
  void aDamagedLastRecordIsDiscardedNeverMisread() throws IOException {
    Path path = written();
    byte[] whole = Files.readAllBytes(path);
    int lastStart = whole.length - (Journal.HEADER + RECORDS.get(3).length());
    for (int at = lastStart + 4; at < whole.length; at++) {
      byte[] damaged = whole.clone();
      damaged[at] ^= 0x01;
      Files.write(path, damaged);
      try (Journal journal = Journal.open(path, 0)) {
        assertThat(texts(journal)).as("flip at %d", at).isEqualTo(RECORDS.subList(0, 3));
        assertThat(journal.discardedBytes()).isEqualTo(whole.length - lastStart);
      }
    }
  }

  @Test
  void aFlippedCrcByteBeforeTheLastRecordIsReportedAndTheFileLeftAlone() throws IOException {
    Path path = written();
    byte[] damaged = Files.readAllBytes(path);
    int second = Journal.HEADER + RECORDS.get(0).length();
    damaged[second + 5] ^= (byte) 0x80;
    Files.write(path, damaged);
    assertThatThrownBy(() -> Journal.open(path, 0))
        .isInstanceOf(JournalCorruptException.class)
        .hasMessageContaining("record 2 at byte " + second)
        .hasMessageContaining("CRC32C")
        .hasMessageContaining("the 1 records before it are intact");
    assertThat(Files.readAllBytes(path)).isEqualTo(damaged);
  }

  @Test
  void anImpossibleLengthIsDamage() throws IOException {
    Path path = written();
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0xff}), 0);
    }
    assertThatThrownBy(() -> Journal.open(path, 0))
        .isInstanceOf(JournalCorruptException.class)
        .hasMessageContaining("impossible length");
  }
}
