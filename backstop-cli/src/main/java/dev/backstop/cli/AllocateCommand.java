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
import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import dev.backstop.sim.num.Units;
import java.io.IOException;
import java.nio.file.Path;
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
      "Fields: policy, budget, taken, overshoot, allocations[{account, amount, sizeClosed,"
          + " burden}], metrics{accountsHit, maxBurden}.",
      "Amounts are money, sizes contracts, burdens amount / capacity (capacity = positive PnL);"
          + " all as decimal strings."
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
    Decimal requested = number(option, mode == AllocationMode.BUDGET ? target.budget : target.size);
    if (requested.signum() < 0) {
      throw new IllegalArgumentException(option + ": must not be negative, not " + requested);
    }
    Decimal closingPrice = price == null ? null : number("--price", price);
    BookCsv.Book parsed =
        BookCsv.read(book, mode == AllocationMode.SIZE ? requested.scale() : 0, closingPrice);
    if (mode == AllocationMode.SIZE && !parsed.candidates().hasPositions()) {
      throw new IllegalArgumentException("--size needs a book in position form");
    }
    int sizeDecimals = parsed.sizeDecimals();
    int targetDecimals = mode == AllocationMode.BUDGET ? Fixed.MONEY_DECIMALS : sizeDecimals;
    long targetUnits;
    try {
      targetUnits = requested.toUnits(targetDecimals);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
    Allocation a = Allocator.allocate(chosen, parsed.candidates(), mode, targetUnits);
    return render(a, parsed, targetDecimals);
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

  private static Decimal number(String option, String text) {
    try {
      return Decimal.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
  }

  private static String render(Allocation a, BookCsv.Book parsed, int targetDecimals) {
    boolean sizes = parsed.candidates().hasPositions();
    int sizeDecimals = parsed.sizeDecimals();
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("policy", a.policy());
    root.put("mode", WireName.of(a.mode()));
    root.put("budget", Fixed.format(a.target(), targetDecimals));
    root.put("taken", Fixed.format(a.taken(), targetDecimals));
    root.put("overshoot", Fixed.format(a.overshoot(), targetDecimals));
    root.put("residual", Fixed.format(a.residual(), targetDecimals));
    root.put("amountTaken", Units.moneyText(a.amountTaken()));
    root.put("sizeTaken", sizes ? Fixed.format(a.sizeTaken(), sizeDecimals) : null);
    ArrayNode allocations = root.putArray("allocations");
    for (int i = 0; i < a.count(); i++) {
      ObjectNode row = allocations.addObject();
      row.put("account", parsed.accounts().get(i));
      row.put("amount", Units.moneyText(a.amount(i)));
      row.put("sizeClosed", sizes ? Fixed.format(a.sizeClosed(i), sizeDecimals) : null);
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
}
