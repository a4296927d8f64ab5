package dev.backstop.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The embedding example of {@code README.md} and {@code docs/embedding.md} is {@link
 * EmbeddingExample}, compiled with the tests and run here, so it cannot rot: both documents must
 * show its source verbatim, from the first {@code import} to the end, and it must print what they
 * say it prints. It sits outside {@code dev.backstop.core} so that it uses the public API only.
 */
class EmbeddingExampleTest {

  private static final Path SOURCE =
      Path.of("src", "test", "java", "dev", "backstop", "example", "EmbeddingExample.java");

  /** The example as the documents show it: its source without the package line. */
  static String shown() throws IOException {
    String source = Files.readString(SOURCE);
    return source.substring(source.indexOf("import "));
  }

  @Test
  void theReadmeAndTheEmbeddingGuideShowTheExampleVerbatim() throws IOException {
    String example = shown();
    for (Path doc :
        new Path[] {Path.of("..", "README.md"), Path.of("..", "docs", "embedding.md")}) {
      assertThat(Files.readString(doc))
          .as(doc.toString())
          .contains("```java\n" + example + "```\n");
    }
  }

  @Test
  void theExampleRunsAndPrintsWhatTheGuideSays() throws IOException {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream captured = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      System.setOut(captured);
      EmbeddingExample.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .contains(
            "price-updated\n",
            "alice liquidated: -1 at ",
            "rejected unknown-account: unknown account zoe\n")
        .containsPattern("state hash [0-9a-f]+\n");
    String guide = Files.readString(Path.of("..", "docs", "embedding.md"));
    assertThat(guide)
        .as("docs/embedding.md shows the output")
        .contains("```\n" + printed + "```\n");
  }
}
