package dev.backstop.sim.report;

import dev.backstop.sim.io.AtomicFile;
import dev.backstop.sim.run.SimulationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the three outputs of {@code backstop simulate} into one directory: {@value
 * HtmlReport#FILE_NAME}, {@value SummaryJson#FILE_NAME} and {@value SummaryCsv#FILE_NAME}.
 *
 * <p>All three are rendered and staged first, then moved into place together ({@link
 * AtomicFile#commitAll}): if anything fails, even one of the moves, the files of an earlier run are
 * left as they were and nothing staged remains.
 */
public final class ReportWriter {

  private ReportWriter() {}

  /**
   * Creates {@code dir} if needed and writes the report, the JSON and the CSV summaries into it,
   * the first two saying where they came from ({@code run}).
   */
  public static void writeAll(SimulationResult result, RunInfo run, Path dir) throws IOException {
    Files.createDirectories(dir);
    String json = SummaryJson.render(result, run);
    String csv = SummaryCsv.render(result);
    String html = HtmlReport.render(result, run);
    try (AtomicFile jsonFile = AtomicFile.staged(dir.resolve(SummaryJson.FILE_NAME), json);
        AtomicFile csvFile = AtomicFile.staged(dir.resolve(SummaryCsv.FILE_NAME), csv);
        AtomicFile htmlFile = AtomicFile.staged(dir.resolve(HtmlReport.FILE_NAME), html)) {
      AtomicFile.commitAll(List.of(jsonFile, csvFile, htmlFile));
    }
  }
}
