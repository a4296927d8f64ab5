package dev.backstop.sim.report;

import dev.backstop.sim.io.AtomicFile;
import dev.backstop.sim.run.SimulationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the three outputs of {@code backstop simulate} into one directory: {@value
 * HtmlReport#FILE_NAME}, {@value SummaryJson#FILE_NAME} and {@value SummaryCsv#FILE_NAME}.
 *
 * <p>All three are rendered and written to temporary files in the directory first, then moved into
 * place, atomically where the file system can; if anything fails before the moves, the temporary
 * files are deleted and any files of an earlier run are left as they were.
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
      jsonFile.commit();
      csvFile.commit();
      htmlFile.commit();
    }
  }
}
