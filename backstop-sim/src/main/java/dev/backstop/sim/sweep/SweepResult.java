package dev.backstop.sim.sweep;

import dev.backstop.sim.run.PolicyMetrics;
import java.util.List;

/**
 * What a sweep measured: every policy's metrics at every value of one parameter, in the order of
 * the values and of the policies asked for, whatever order the runs finished in.
 *
 * @param scenario the base scenario's name
 * @param description what the base scenario models
 * @param parameter the parameter varied
 * @param values its values, in the order given
 * @param policies the policies, in the order given
 * @param points one per value, in order
 */
public record SweepResult(
    String scenario,
    String description,
    SweepParameter parameter,
    List<Double> values,
    List<String> policies,
    List<Point> points) {

  /** Copies the lists. */
  public SweepResult {
    values = List.copyOf(values);
    policies = List.copyOf(policies);
    points = List.copyOf(points);
  }

  /**
   * The runs at one value.
   *
   * @param value the parameter's value
   * @param metrics one per policy, in the order of {@link #policies()}
   */
  public record Point(double value, List<PolicyMetrics> metrics) {

    /** Copies the list. */
    public Point {
      metrics = List.copyOf(metrics);
    }
  }

  /** The metrics of {@code policy} at the value of index {@code point}. */
  public PolicyMetrics metrics(int point, String policy) {
    int p = policies.indexOf(policy);
    if (p < 0) {
      throw new IllegalArgumentException("no policy '" + policy + "' in this sweep");
    }
    return points.get(point).metrics().get(p);
  }

  /** Whether every run conserved value to the micro-unit. */
  public boolean conserved() {
    return points.stream().allMatch(p -> p.metrics().stream().allMatch(PolicyMetrics::conserved));
  }
}
