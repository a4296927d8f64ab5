package dev.backstop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backstop.core.adl.allocation.Allocation;
import dev.backstop.core.adl.allocation.AllocationMode;
import dev.backstop.core.adl.allocation.AllocationPolicies;
import dev.backstop.core.adl.allocation.AllocationPolicy;
import dev.backstop.core.adl.allocation.Allocator;
import dev.backstop.core.adl.allocation.QueueScore;
import dev.backstop.core.adl.allocation.RandomPolicy;
import dev.backstop.core.adl.allocation.RiskAwareProRataPolicy.RiskWeight;
import dev.backstop.core.event.WireName;
import dev.backstop.core.num.Fixed;
import dev.backstop.sim.num.Units;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backstop allocate}: applies one deleveraging policy to a book of candidate winners and
 * prints the allocation as JSON ({@code CLI.md}; policies in {@code docs/allocation.md}).
 */
@Command(
    name = "allocate",
    mixinStandardHelpOptions = true,
    resourceBundle = HelpLists.BUNDLE,
    description = {
      "Applies one deleveraging policy to a book of candidate winners and prints the allocation"
          + " as JSON.",
      "Fields: policy, mode, budget, taken, overshoot, residual (in the target's unit, named by unit"
          + " in money{} and contracts{}), residualReason, notes[],"
          + " allocations[{account, amount, sizeClosed, burden}], metrics{accountsHit,"
          + " maxBurden}.",
      "Amounts are money, sizes contracts, burdens amount / capacity (capacity = positive PnL);"
          + " all as decimal strings. Notes (a target left partly unallocated, leverages of 0)"
          + " also go to standard error."
    })
public final class AllocateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--policy",
      required = true,
      paramLabel = "NAME",
      completionCandidates = HelpLists.Policies.class,
      description = "One of: ${COMPLETION-CANDIDATES}.")
  String policy;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  /** Exactly one of the two targets. */
  static final class Target {
    @Option(names = "--budget", paramLabel = "AMOUNT", description = "Profit to claw back (money).")
    String budget;

    @Option(
        names = "--size",
        paramLabel = "QTY",
        description =
            "Contract size to close (needs the position form); for"
                + " ${bundle:list.sizePolicies}.")
    String size;
  }

  @Option(
      names = "--book",
      required = true,
      paramLabel = "FILE.csv",
      description = {
        "Candidates, CSV with a header. Capacity form: account,pnl,equity[,leverage][,score];"
            + " position form: account,side,size,entry_price,mark_price,collateral[,score]."
            + " An example of each: examples/book.csv, examples/positions.csv.",
        "A score column overrides the queue's own ranking (higher first); ties go to the earlier"
            + " line."
      })
  Path book;

  @Option(
      names = "--seed",
      defaultValue = "0",
      paramLabel = "N",
      description = "Seed of the random policy (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--score",
      defaultValue = "bitmex",
      paramLabel = "NAME",
      completionCandidates = HelpLists.Scores.class,
      description =
          "Ranking score of queue and queue-full: ${COMPLETION-CANDIDATES} (default:"
              + " ${DEFAULT-VALUE}); needs the position form unless the book has scores.")
  String score;

  @Option(
      names = "--lot",
      paramLabel = "QTY",
      description =
          "Contracts per lot, the size grid of the position form: every size (and --size) must"
              + " be a whole number of lots (default: 10^-d, d the most decimals written in any"
              + " size or in --size).")
  String lot;

  @Option(
      names = "--price",
      paramLabel = "P",
      description = "Closing price replacing every mark price (position form; default: the mark).")
  String price;

  @Option(
      names = "--max-iterations",
      defaultValue = "" + RandomPolicy.DEFAULT_MAX_ITERATIONS,
      paramLabel = "N",
      description =
          "Most candidates the random policy visits, at least 1 (default: ${DEFAULT-VALUE}, as"
              + " dYdX).")
  int maxIterations;

  @Option(
      names = "--risk-weight",
      defaultValue = "leverage",
      paramLabel = "G",
      completionCandidates = HelpLists.RiskWeights.class,
      description =
          "Weight of rap: ${COMPLETION-CANDIDATES} (g(l) = 1 and g(l) = l; default:"
              + " ${DEFAULT-VALUE}).")
  String riskWeight;

  @Override
  public Integer call() {
    String json;
    try {
      json = run();
    } catch (IllegalArgumentException | ArithmeticException | IOException e) {
      spec.commandLine().getErr().println("backstop allocate: " + CliErrors.describe(e));
      return 1;
    }
    spec.commandLine().getOut().println(json);
    return 0;
  }

  /** Where a user without a book of their own finds one. */
  static final String EXAMPLE_BOOKS =
      "examples/book.csv (capacity form) and examples/positions.csv (position form) are examples";

  private String run() throws IOException {
    CliInputs.readableFile("--book", book, EXAMPLE_BOOKS);
    CliInputs.atLeast("--max-iterations", maxIterations, 1, null);
    AllocationPolicy chosen = policy();
    AllocationMode mode = target.budget != null ? AllocationMode.BUDGET : AllocationMode.SIZE;
    String option = mode == AllocationMode.BUDGET ? "--budget" : "--size";
    BigDecimal requested =
        BookCsv.number(mode == AllocationMode.BUDGET ? target.budget : target.size, option);
    if (requested.signum() < 0) {
      throw new IllegalArgumentException(option + ": must not be negative, not " + requested);
    }
    BookCsv.Book parsed =
        BookCsv.read(
            book,
            lot == null ? null : BookCsv.number(lot, "--lot"),
            mode == AllocationMode.SIZE ? requested : null,
            price == null ? null : BookCsv.number(price, "--price"));
    if (mode == AllocationMode.SIZE && !parsed.candidates().hasPositions()) {
      throw new IllegalArgumentException("--size needs a book in position form");
    }
    long targetUnits;
    if (mode == AllocationMode.BUDGET) {
      try {
        targetUnits = Units.round(requested, Fixed.MONEY_DECIMALS, RoundingMode.UNNECESSARY);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            "--budget: '"
                + target.budget
                + "' has more than "
                + Fixed.MONEY_DECIMALS
                + " decimals or is out of range",
            e);
      }
    } else {
      targetUnits = parsed.lots(requested, "--size");
    }
    Allocation a = Allocator.allocate(chosen, parsed.candidates(), mode, targetUnits);
    List<String> notes = new ArrayList<>();
    String residualReason = residualReason(a, chosen, parsed);
    if (residualReason != null) {
      notes.add(residualReason);
    }
    if (parsed.unboundedlyLevered() > 0) {
      notes.add(
          parsed.unboundedlyLevered()
              + " candidate(s) with a leverage of 0 (unboundedly levered) were given the largest"
              + " leverage of the others");
    }
    for (String note : notes) {
      spec.commandLine().getErr().println("backstop allocate: note: " + note);
    }
    return render(a, parsed, residualReason, notes);
  }

  /**
   * Why part of the target was not allocated, or null if all of it was: the candidates' limits ran
   * out, or the random policy stopped at its iteration limit.
   */
  private static String residualReason(Allocation a, AllocationPolicy policy, BookCsv.Book parsed) {
    if (a.residual() == 0) {
      return null;
    }
    String unit = a.mode() == AllocationMode.BUDGET ? "money" : "contracts";
    String left =
        a.mode() == AllocationMode.BUDGET
            ? Units.moneyText(a.residual())
            : parsed.contracts(a.residual());
    if (policy instanceof RandomPolicy random && a.count() > random.maxIterations()) {
      return "the random policy visits at most "
          + random.maxIterations()
          + " of the "
          + a.count()
          + " candidates (--max-iterations, dYdX's limit), so "
          + left
          + " ("
          + unit
          + ") of the target was left unallocated";
    }
    return "the candidates can give only "
        + (a.mode() == AllocationMode.BUDGET
            ? Units.moneyText(a.taken())
            : parsed.contracts(a.taken()))
        + " ("
        + unit
        + "), so "
        + left
        + " of the target was left unallocated";
  }

  private AllocationPolicy policy() {
    QueueScore queueScore;
    RiskWeight weight;
    try {
      queueScore = AllocationPolicies.score(score);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--score: " + e.getMessage(), e);
    }
    try {
      weight = AllocationPolicies.riskWeight(riskWeight);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--risk-weight: " + e.getMessage(), e);
    }
    return AllocationPolicies.byName(policy, queueScore, weight, seed, maxIterations);
  }

  private static String render(
      Allocation a, BookCsv.Book parsed, String residualReason, List<String> notes) {
    boolean sizes = parsed.candidates().hasPositions();
    boolean byBudget = a.mode() == AllocationMode.BUDGET;
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("policy", a.policy());
    root.put("mode", WireName.of(a.mode()));
    // The contract's fields, in the target's unit: money by budget, contracts by size.
    root.put("budget", inTargetUnit(a, parsed, a.target()));
    root.put("taken", inTargetUnit(a, parsed, a.taken()));
    root.put("overshoot", inTargetUnit(a, parsed, a.overshoot()));
    root.put("residual", inTargetUnit(a, parsed, a.residual()));
    root.put("residualReason", residualReason);
    root.put("amountTaken", Units.moneyText(a.amountTaken()));
    root.put("sizeTaken", sizes ? parsed.contracts(a.sizeTaken()) : null);
    // The same, named by their unit.
    ObjectNode money = root.putObject("money");
    money.put("target", byBudget ? Units.moneyText(a.target()) : null);
    money.put("taken", Units.moneyText(a.amountTaken()));
    money.put("overshoot", byBudget ? Units.moneyText(a.overshoot()) : null);
    money.put("residual", byBudget ? Units.moneyText(a.residual()) : null);
    if (sizes) {
      ObjectNode contracts = root.putObject("contracts");
      contracts.put("lot", BookCsv.plain(parsed.lot()));
      contracts.put("target", byBudget ? null : parsed.contracts(a.target()));
      contracts.put("taken", parsed.contracts(a.sizeTaken()));
      contracts.put("overshoot", byBudget ? null : parsed.contracts(a.overshoot()));
      contracts.put("residual", byBudget ? null : parsed.contracts(a.residual()));
    } else {
      root.putNull("contracts");
    }
    ArrayNode noteList = root.putArray("notes");
    notes.forEach(noteList::add);
    ArrayNode allocations = root.putArray("allocations");
    for (int i = 0; i < a.count(); i++) {
      ObjectNode row = allocations.addObject();
      row.put("account", parsed.accounts().get(i));
      row.put("amount", Units.moneyText(a.amount(i)));
      row.put("sizeClosed", sizes ? parsed.contracts(a.sizeClosed(i)) : null);
      row.put("burden", Fixed.format(a.burden(i), Fixed.RATE_DECIMALS));
    }
    ObjectNode metrics = root.putObject("metrics");
    metrics.put("accountsHit", a.accountsHit());
    metrics.put("maxBurden", Fixed.format(a.maxBurden(), Fixed.RATE_DECIMALS));
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** Money units or lots, by the allocation's mode, as decimal text. */
  private static String inTargetUnit(Allocation a, BookCsv.Book parsed, long units) {
    return a.mode() == AllocationMode.BUDGET ? Units.moneyText(units) : parsed.contracts(units);
  }
}
