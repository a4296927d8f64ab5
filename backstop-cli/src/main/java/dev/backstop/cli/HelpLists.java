package dev.backstop.cli;

import dev.backstop.core.adl.allocation.AllocationMode;
import dev.backstop.core.adl.allocation.AllocationPolicies;
import dev.backstop.core.adl.allocation.QueueScore;
import dev.backstop.core.adl.allocation.RiskAwareProRataPolicy.RiskWeight;
import dev.backstop.core.market.MarketPresets;
import dev.backstop.json.CommandReader;
import java.util.Iterator;
import java.util.List;
import java.util.ListResourceBundle;

/**
 * The lists that help texts name, taken from the code's own lists so that no help text holds a copy
 * that can fall behind. A command that names a list in its description says {@code resourceBundle =
 * HelpLists.BUNDLE} and writes {@code ${bundle:KEY}}; an option that takes one of the names lists
 * them as its completion candidates ({@code ${COMPLETION-CANDIDATES}}).
 */
public final class HelpLists extends ListResourceBundle {

  /** This bundle's name, for {@code @Command(resourceBundle = ...)}. */
  static final String BUNDLE = "dev.backstop.cli.HelpLists";

  /** Builds the bundle; {@link java.util.ResourceBundle#getBundle} calls it. */
  public HelpLists() {}

  @Override
  protected Object[][] getContents() {
    return new Object[][] {
      {"list.commandTypes", String.join(", ", CommandReader.types())},
      {"list.presets", String.join(", ", MarketPresets.names())},
      {"list.sizePolicies", String.join(", ", sizePolicies())},
    };
  }

  /** The policies that can share a size to close, in the order of {@link AllocationPolicies}. */
  static List<String> sizePolicies() {
    return AllocationPolicies.NAMES.stream()
        .filter(
            name ->
                AllocationPolicies.byName(name, QueueScore.BITMEX, RiskWeight.LEVERAGE, 0, 1)
                    .supports(AllocationMode.SIZE))
        .toList();
  }

  /** The policy names, as completion candidates. */
  static final class Policies implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return AllocationPolicies.NAMES.iterator();
    }
  }

  /** The queue scores, as completion candidates. */
  static final class Scores implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return AllocationPolicies.scoreNames().iterator();
    }
  }

  /** RAP's weights, as completion candidates. */
  static final class RiskWeights implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return AllocationPolicies.riskWeightNames().iterator();
    }
  }
}
