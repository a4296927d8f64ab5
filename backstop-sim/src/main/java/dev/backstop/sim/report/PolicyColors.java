package dev.backstop.sim.report;

import dev.backstop.sim.replay.ReplayResult.ReplayRow;
import dev.backstop.sim.run.PolicyResult;
import dev.backstop.sim.run.SimulationResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One colour per policy name, the same in every chart and table of a report: the simulated policies
 * in their order, then the replay's policies that are not among them. The palette is Okabe and
 * Ito's colour-blind-safe set (without its yellow, too pale on white), then Paul Tol's muted
 * colours; it repeats after eleven policies. Lines also differ in dash pattern, so that lines that
 * coincide (two funds that ran dry together) both stay visible, and so do the policies in print
 * without colour.
 */
final class PolicyColors {

  private static final Color[] PALETTE = {
    new Color(0x0072B2), // blue
    new Color(0xD55E00), // vermillion
    new Color(0x009E73), // bluish green
    new Color(0xCC79A7), // reddish purple
    new Color(0xE69F00), // orange
    new Color(0x56B4E9), // sky blue
    new Color(0x882255), // wine
    new Color(0x44AA99), // teal
    new Color(0x999933), // olive
    new Color(0x332288), // indigo
    new Color(0x777777), // grey
  };

  private static final float[][] DASHES = {
    null, {9f, 4f}, {2f, 3f}, {12f, 3f, 2f, 3f}, {5f, 5f},
  };

  private final Map<String, Integer> indexes = new LinkedHashMap<>();

  /** Assigns the colours of {@code result}'s policies and replay rows. */
  PolicyColors(SimulationResult result) {
    for (PolicyResult policy : result.policies()) {
      assign(policy.policy());
    }
    if (result.replay() != null) {
      for (ReplayRow row : result.replay().rows()) {
        assign(row.policy());
      }
    }
  }

  private void assign(String name) {
    indexes.putIfAbsent(name, indexes.size());
  }

  /** The colour of {@code policy}. */
  Color of(String policy) {
    return PALETTE[index(policy) % PALETTE.length];
  }

  /** The line of {@code policy} in line charts: solid for the first, dashed after. */
  BasicStroke stroke(String policy) {
    float[] dash = DASHES[index(policy) % DASHES.length];
    return dash == null
        ? new BasicStroke(2f)
        : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f);
  }

  private int index(String policy) {
    Integer index = indexes.get(policy);
    if (index == null) {
      throw new IllegalArgumentException("no colour for policy '" + policy + "'");
    }
    return index;
  }

  /** The colour of {@code policy} as CSS, {@code #rrggbb}. */
  String css(String policy) {
    return String.format(Locale.ROOT, "#%06x", of(policy).getRGB() & 0xFFFFFF);
  }
}
