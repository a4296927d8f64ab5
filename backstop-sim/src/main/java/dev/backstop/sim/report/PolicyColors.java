package dev.backstop.sim.report;

import dev.backstop.sim.paper.WaveCounterfactual;
import dev.backstop.sim.replay.ReplayResult.ReplayRow;
import dev.backstop.sim.run.PolicyResult;
import dev.backstop.sim.run.SimulationResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One colour and one dash pattern per policy name, the same in every chart and table of a report:
 * the simulated policies in their order, then the replay's policies that are not among them, then
 * the per-wave counterfactual's.
 *
 * <p>Twenty colours, all different: Okabe and Ito's colour-blind-safe set (without its yellow, too
 * pale on white), Paul Tol's muted and bright colours, then black; after twenty they repeat. Lines
 * also differ in dash pattern, five patterns in turn, so that two lines that coincide (two funds
 * that ran dry together) both stay visible, neighbours in the legend never share a pattern, and the
 * policies stay apart in print without colour: the pair (colour, dash) differs for up to a hundred
 * policies.
 */
final class PolicyColors {

  /** The palette, in order of assignment. */
  static final List<String> PALETTE =
      List.of(
          "#0072b2", // blue
          "#d55e00", // vermillion
          "#009e73", // bluish green
          "#cc79a7", // reddish purple
          "#e69f00", // orange
          "#56b4e9", // sky blue
          "#882255", // wine
          "#44aa99", // teal
          "#999933", // olive
          "#332288", // indigo
          "#777777", // grey
          "#aa4499", // purple
          "#117733", // dark green
          "#661100", // brown
          "#ee3377", // magenta
          "#6699cc", // steel blue
          "#c9a227", // ochre
          "#bb5566", // rose
          "#22aacc", // cyan
          "#000000"); // black

  /** Dash patterns in pixels, solid first. */
  static final List<float[]> DASHES =
      List.of(
          new float[0],
          new float[] {9f, 4f},
          new float[] {2f, 3f},
          new float[] {12f, 3f, 2f, 3f},
          new float[] {5f, 5f});

  private final Map<String, Integer> indexes = new LinkedHashMap<>();

  /** Assigns the colours of {@code names}, in order. */
  PolicyColors(List<String> names) {
    names.forEach(this::assign);
  }

  /** Assigns the colours of {@code result}'s policies and replay rows. */
  static PolicyColors of(SimulationResult result) {
    PolicyColors colors = new PolicyColors(List.of());
    for (PolicyResult policy : result.policies()) {
      colors.assign(policy.policy());
    }
    if (result.replay() != null) {
      for (ReplayRow row : result.replay().rows()) {
        colors.assign(row.policy());
      }
      if (result.replay().counterfactual() != null) {
        WaveCounterfactual.POLICIES.forEach(colors::assign);
      }
    }
    return colors;
  }

  private void assign(String name) {
    indexes.putIfAbsent(name, indexes.size());
  }

  /** The colour of {@code policy} as CSS, {@code #rrggbb}. */
  String css(String policy) {
    return PALETTE.get(index(policy) % PALETTE.size());
  }

  /** The dash pattern of {@code policy}'s lines: solid for the first, then the others in turn. */
  float[] dash(String policy) {
    return DASHES.get(index(policy) % DASHES.size()).clone();
  }

  private int index(String policy) {
    Integer index = indexes.get(policy);
    if (index == null) {
      throw new IllegalArgumentException("no colour for policy '" + policy + "'");
    }
    return index;
  }
}
