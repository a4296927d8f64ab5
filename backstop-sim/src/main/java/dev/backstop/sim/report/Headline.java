package dev.backstop.sim.report;

import dev.backstop.sim.run.Policies;
import dev.backstop.sim.run.PolicyMetrics;
import dev.backstop.sim.run.PolicyResult;
import dev.backstop.sim.run.SimulationResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The finding at the top of a report, in a few sentences computed from the result, never typed in:
 * what the baseline without a backstop leaves as bad debt and how many backstops leave none; among
 * the policies whose backstop took from winners (a socialisation per unit of size takes from no
 * account), the one that spread the clawback most evenly and the one that concentrated it most (by
 * largest burden); the largest overshoot; and whether every run conserved value. Ties go to the
 * policy run first.
 */
final class Headline {

  private Headline() {}

  /** The sentences, in order. */
  static List<String> of(SimulationResult result) {
    List<String> out = new ArrayList<>();
    List<PolicyResult> policies = result.policies();
    if (policies.isEmpty()) {
      out.add("No policy ran.");
      return out;
    }
    PolicyResult baseline =
        policies.stream()
            .filter(p -> p.policy().equals(Policies.BAD_DEBT))
            .findFirst()
            .orElse(null);
    List<PolicyResult> others =
        policies.stream().filter(p -> !p.policy().equals(Policies.BAD_DEBT)).toList();
    if (baseline != null && baseline.metrics().residualBadDebt().signum() > 0) {
      long clean = others.stream().filter(p -> p.metrics().residualBadDebt().signum() == 0).count();
      out.add(
          String.format(
              Locale.ROOT,
              "Without a backstop (%s), %s USD of bad debt is left; %s.",
              Policies.BAD_DEBT,
              Formats.wholeDollars(baseline.metrics().residualBadDebt()),
              clean == others.size()
                  ? "all " + others.size() + " other policies leave none"
                  : clean + " of the " + others.size() + " other policies leave none"));
    }
    List<PolicyResult> acted =
        others.stream().filter(p -> p.metrics().backstopActions() > 0).toList();
    List<PolicyResult> took =
        acted.stream().filter(p -> p.metrics().accountsDeleveraged() > 0).toList();
    if (acted.isEmpty()) {
      PolicyMetrics first = policies.get(0).metrics();
      out.add(
          String.format(
              Locale.ROOT,
              "No policy's backstop acted: the insurance fund covered every shortfall (its low %s"
                  + " USD, a drawdown of %s).",
              Formats.wholeDollars(first.fundLow()),
              Formats.percent(first.fundDrawdown())));
    } else {
      if (!took.isEmpty()) {
        Comparator<PolicyResult> byBurden =
            Comparator.comparingDouble(p -> p.metrics().largestBurden());
        PolicyResult even = took.stream().min(byBurden).orElseThrow();
        PolicyResult concentrated = took.stream().max(byBurden).orElseThrow();
        out.add(
            String.format(
                Locale.ROOT,
                "Of the %d policies whose backstop took from winners, %s spread the clawback most"
                    + " evenly (largest burden %s, %s accounts deleveraged) and %s concentrated it"
                    + " most (largest burden %s, %s accounts).",
                took.size(),
                even.policy(),
                Formats.finePercent(even.metrics().largestBurden()),
                Formats.count(even.metrics().accountsDeleveraged()),
                concentrated.policy(),
                Formats.finePercent(concentrated.metrics().largestBurden()),
                Formats.count(concentrated.metrics().accountsDeleveraged())));
      }
      PolicyResult over =
          acted.stream().max(Comparator.comparing(p -> p.metrics().overshoot())).orElseThrow();
      PolicyMetrics m = over.metrics();
      if (m.overshoot().signum() > 0) {
        out.add(
            String.format(
                Locale.ROOT,
                "%s took the most beyond what was needed: %s USD, where %s.",
                over.policy(),
                Formats.wholeDollars(m.overshoot()),
                m.budgetNeeded().signum() == 0
                    ? "nothing was needed at mark"
                    : Formats.wholeDollars(m.budgetNeeded()) + " USD was needed"));
      } else {
        out.add("No policy took more from winners than was needed.");
      }
    }
    long broken = policies.stream().filter(p -> !p.metrics().conserved()).count();
    out.add(
        broken == 0
            ? "Every run conserved value to the micro-unit."
            : broken + " of the " + policies.size() + " runs did NOT conserve value: see below.");
    return out;
  }
}
