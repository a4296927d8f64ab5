package dev.backstop.sim.report;

/**
 * Where a report came from: the tool and its version, the commit it was built from, the command
 * line that ran it and when. Written at the top of {@code report.html} and as {@code run} in {@code
 * summary.json}, so that a figure can be traced to the code and the call that made it. The rest of
 * each file depends on the result only; this is the one part that changes from run to run.
 *
 * @param tool the program, {@code backstop}
 * @param version its version, the POM's ({@code 0.1.0-SNAPSHOT})
 * @param commit the git commit it was built from, abbreviated, {@code -dirty} with local changes,
 *     {@code unknown} when the build had no git repository
 * @param commandLine the command as given, arguments quoted where they hold spaces
 * @param date when the run started, ISO 8601 in UTC ({@code 2026-12-01T22:30:00Z})
 */
public record RunInfo(String tool, String version, String commit, String commandLine, String date) {

  /** What the tool, version, commit and date are when nobody says: {@code unknown}. */
  public static final String UNKNOWN = "unknown";

  /** Every field must be given; blanks become {@link #UNKNOWN}. */
  public RunInfo {
    tool = known(tool);
    version = known(version);
    commit = known(commit);
    commandLine = known(commandLine);
    date = known(date);
  }

  private static String known(String value) {
    return value == null || value.isBlank() ? UNKNOWN : value;
  }

  /** {@code backstop 0.1.0-SNAPSHOT (commit 29fd6430aecc)}. */
  public String toolLine() {
    return tool + " " + version + " (commit " + commit + ")";
  }
}
