/**
 * The outputs of {@code backstop simulate}, all written from one {@link
 * dev.backstop.sim.run.SimulationResult}.
 *
 * <ul>
 *   <li>{@link dev.backstop.sim.report.TerminalTable}: the comparison printed to the terminal;
 *   <li>{@link dev.backstop.sim.report.SummaryJson}: {@code summary.json}, every metric of every
 *       policy, money as exact decimal strings;
 *   <li>{@link dev.backstop.sim.report.SummaryCsv}: {@code summary.csv}, the same metrics, one row
 *       per policy;
 *   <li>{@link dev.backstop.sim.report.HtmlReport}: {@code report.html}, a self-contained page with
 *       the headline finding, the metrics tables, the interactive charts (uPlot, inlined) and their
 *       definitions;
 *   <li>{@link dev.backstop.sim.report.ReportWriter}: the three files together, each moved into
 *       place only once complete;
 *   <li>{@link dev.backstop.sim.report.SweepReport}: the outputs of {@code backstop sweep}, a chart
 *       per metric against the swept parameter.
 * </ul>
 *
 * <p>The figures and their names follow Chitra (arXiv 2512.01112), Chitra, Thogiti, Trujillo
 * Ramirez and Xu (arXiv 2602.15182), and Campbell, Hey, Moallemi and Nutz (arXiv 2603.15963). The
 * files depend on the result and on {@link dev.backstop.sim.report.RunInfo} (where they came from)
 * only, so the same run writes the same bytes.
 */
package dev.backstop.sim.report;
