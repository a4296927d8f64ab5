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
 *       the charts, the metrics table and their definitions;
 *   <li>{@link dev.backstop.sim.report.ReportWriter}: the three files together, each moved into
 *       place only once complete.
 * </ul>
 *
 * <p>The figures and their names follow Chitra (arXiv 2512.01112), Chitra, Thogiti, Trujillo
 * Ramirez and Xu (arXiv 2602.15182), and Campbell, Hey, Moallemi and Nutz (arXiv 2603.15963). The
 * data files depend on the result only, so the same run writes the same bytes.
 */
package dev.backstop.sim.report;
