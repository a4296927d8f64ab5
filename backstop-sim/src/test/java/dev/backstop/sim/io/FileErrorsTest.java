package dev.backstop.sim.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every file error names its path, then what is wrong with it. */
class FileErrorsTest {

  @TempDir Path dir;

  @Test
  void aMissingFileADirectoryAndADeniedFileEachSayWhichAndWhat() {
    Path missing = dir.resolve("missing.csv");
    IOException noSuchFile = readError(missing);
    assertThat(FileErrors.describe(missing, noSuchFile)).isEqualTo(missing + ": no such file");
    assertThat(FileErrors.describe(noSuchFile)).isEqualTo(missing + ": no such file");
    // reading a directory fails with "Is a directory" and no path
    IOException directory = readError(dir);
    assertThat(FileErrors.describe(dir, directory)).isEqualTo(dir + ": is a directory, not a file");
    assertThat(FileErrors.describe(new AccessDeniedException("x.json")))
        .isEqualTo("x.json: permission denied");
    assertThat(FileErrors.describe(new NoSuchFileException("w.csv", null, "give the budget")))
        .isEqualTo("w.csv: give the budget");
  }

  @Test
  void aReadersOwnMessageThatNamesTheFileIsLeftAsItIs() {
    Path file = dir.resolve("k.csv");
    IOException parse = new IOException(file + " line 3, column open: not a number");
    assertThat(FileErrors.describe(file, parse)).isEqualTo(parse.getMessage());
    assertThat(FileErrors.describe(file, new IOException("Input/output error")))
        .isEqualTo(file + ": Input/output error");
  }

  private static IOException readError(Path path) {
    try {
      Files.readString(path);
    } catch (IOException e) {
      return e;
    }
    throw new AssertionError("read " + path);
  }
}
