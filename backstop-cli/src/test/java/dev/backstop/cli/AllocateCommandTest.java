package dev.backstop.cli;

import static dev.backstop.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.core.adl.allocation.AllocationMode;
import dev.backstop.core.adl.allocation.AllocationPolicies;
import dev.backstop.core.adl.allocation.QueueScore;
import dev.backstop.core.adl.allocation.RiskAwareProRataPolicy.RiskWeight;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllocateCommandTest {

  @TempDir Path dir;

  private Path csv(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  // Chitra (arXiv 2512.01112) worked example in capacity form: PnL = e - c, e = (10, 5, 1, -3,
  // -12),
  // c = (2, 1, 0.5, 0, 0); the score column puts account 2 first, then 1, then 3.
  private static final String CHITRA =
      """
      account,pnl,equity,score
      1,8,10,2
      2,4,5,3
      3,0.5,1,1
      4,-3,-3,0
      5,-12,-12,0
      """;

  private static List<String> texts(JsonNode allocations, String field) {
    List<String> out = new ArrayList<>();
    allocations.forEach(a -> out.add(a.get(field).asText()));
    return out;
  }

  @Test
  void proRataOnTheChitraExample() throws IOException {
    Path book = csv("chitra.csv", CHITRA);

    CliRun run =
        run("allocate", "--policy", "pro-rata", "--budget", "7.5", "--book", book.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = run.json();
    assertThat(json.get("policy").asText()).isEqualTo("pro-rata");
    assertThat(json.get("budget").asText()).isEqualTo("7.5");
    assertThat(json.get("taken").asText()).isEqualTo("7.5");
    assertThat(json.get("overshoot").asText()).isEqualTo("0");
    assertThat(texts(json.get("allocations"), "account")).containsExactly("1", "2", "3", "4", "5");
    assertThat(texts(json.get("allocations"), "amount"))
        .containsExactly("4.8", "2.4", "0.3", "0", "0");
    assertThat(texts(json.get("allocations"), "burden"))
        .containsExactly("0.6", "0.6", "0.6", "0", "0");
    assertThat(json.get("allocations").get(0).get("sizeClosed").isNull()).isTrue();
    assertThat(json.get("metrics").get("accountsHit").asInt()).isEqualTo(3);
    assertThat(json.get("metrics").get("maxBurden").asText()).isEqualTo("0.6");
  }

  @Test
  void queueFollowsTheSuppliedScores() throws IOException {
    Path book = csv("chitra.csv", CHITRA);

    JsonNode queue =
        run("allocate", "--policy", "queue", "--budget", "7.5", "--book", book.toString()).json();
    JsonNode full =
        run("allocate", "--policy", "queue-full", "--budget", "7.5", "--book", book.toString())
            .json();

    assertThat(texts(queue.get("allocations"), "amount"))
        .containsExactly("3.5", "4", "0", "0", "0");
    assertThat(queue.get("metrics").get("maxBurden").asText()).isEqualTo("1");
    assertThat(full.get("taken").asText()).isEqualTo("12");
    assertThat(full.get("overshoot").asText()).isEqualTo("4.5");
  }

  @Test
  void waterFillingBySizeInPositionForm() throws IOException {
    // Leverages 5, 2 and 1 at mark 10; closing 11 contracts leaves all three at leverage 1 (the
    // hand-checked case of WaterFillingPolicy's test in backstop-core).
    Path book =
        csv(
            "positions.csv",
            """
            account,side,size,entry_price,mark_price,collateral
            a,long,10,8,10,0
            b,long,6,8,10,18
            c,long,4,8,10,32
            """);

    CliRun run =
        run("allocate", "--policy", "water-filling", "--size", "11", "--book", book.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = run.json();
    assertThat(json.get("mode").asText()).isEqualTo("size");
    assertThat(texts(json.get("allocations"), "sizeClosed")).containsExactly("8", "3", "0");
    // PnL (20, 12, 8): a gives 8/10 of 20, b 3/6 of 12.
    assertThat(texts(json.get("allocations"), "amount")).containsExactly("16", "6", "0");
    assertThat(json.get("amountTaken").asText()).isEqualTo("22");
  }

  @Test
  void malformedBookNamesTheLineAndFieldAndWritesNothing() throws IOException {
    Path book = csv("bad.csv", "account,pnl,equity\n1,8,10\n2,four,5\n");

    CliRun run =
        run("allocate", "--policy", "pro-rata", "--budget", "1", "--book", book.toString());

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("line 3").contains("field 'pnl'").contains("'four'");
  }

  @Test
  void rejectsMissingColumnsAndShortRows() throws IOException {
    Path missing = csv("missing.csv", "account,pnl\n1,8\n");
    Path shortRow = csv("short.csv", "account,pnl,equity\n1,8\n");

    CliRun first =
        run("allocate", "--policy", "pro-rata", "--budget", "1", "--book", missing.toString());
    CliRun second =
        run("allocate", "--policy", "pro-rata", "--budget", "1", "--book", shortRow.toString());

    assertThat(first.exitCode()).isNotZero();
    assertThat(first.err())
        .contains(
            "missing.csv line 1: missing required column 'equity' (required: account, pnl,"
                + " equity; found: account, pnl)");
    assertThat(second.exitCode()).isNotZero();
    assertThat(second.err()).contains("short.csv line 2: 2 fields, the header has 3");
    assertThat(first.out() + second.out()).isEmpty();
    CliRun absent =
        run(
            "allocate",
            "--policy",
            "pro-rata",
            "--budget",
            "1",
            "--book",
            dir.resolve("absent.csv").toString());
    assertThat(absent.exitCode()).isNotZero();
    assertThat(absent.err()).contains("--book ", "absent.csv: no such file", "examples/book.csv");
  }

  @Test
  void aByteOrderMarkIsDroppedAndAnUnknownColumnIsNamedInAStableOrder() throws IOException {
    Path bom = csv("bom.csv", "\uFEFF" + CHITRA.replace("\n", "\r\n"));
    Path misnamed = csv("misnamed.csv", "\uFEFFAccount,PnL,equity,lev\n1,8,10,2\n");

    CliRun read =
        run("allocate", "--policy", "pro-rata", "--budget", "7.5", "--book", bom.toString());
    CliRun refused =
        run("allocate", "--policy", "pro-rata", "--budget", "1", "--book", misnamed.toString());

    assertThat(read.exitCode()).as(read.err()).isZero();
    assertThat(texts(read.json().get("allocations"), "account"))
        .containsExactly("1", "2", "3", "4", "5");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err())
        .contains(
            "misnamed.csv line 1: unknown column 'lev' (expected some of: account, pnl, equity,"
                + " leverage, score; found: account, pnl, equity, lev)");
  }

  @Test
  void rejectsSizeWithoutPositionsAndUnknownPolicies() throws IOException {
    Path book = csv("chitra.csv", CHITRA);

    CliRun size = run("allocate", "--policy", "queue", "--size", "1", "--book", book.toString());
    CliRun unknown =
        run("allocate", "--policy", "lottery", "--budget", "1", "--book", book.toString());

    assertThat(size.exitCode()).isNotZero();
    assertThat(size.err()).contains("--size needs a book in position form");
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.err()).contains("unknown policy 'lottery'");
  }

  /**
   * Prices per lot are rounded to the micro-unit (half to even); the PnL is exact from the decimals
   * and rounded down: a long of 0.25 at entry 100, mark 100.00001 has a PnL of 0.0000025, 0.000002
   * money. Lots of 0.01 contracts (the most decimals written): mark per lot 1.0000001, rounded to
   * 1.
   */
  @Test
  void pricesPerLotAreRoundedAndThePnlIsExact() throws IOException {
    Path book =
        csv(
            "prices.csv",
            "account,side,size,entry_price,mark_price,collateral\na,long,0.25,100,100.00001,10\n");

    CliRun run = run("allocate", "--policy", "queue", "--size", "0.1", "--book", book.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = run.json();
    assertThat(json.get("contracts").get("lot").asText()).isEqualTo("0.01");
    assertThat(json.get("allocations").get(0).get("sizeClosed").asText()).isEqualTo("0.1");
    // 10 of 25 lots of a PnL of 0.000002: ceil(0.0000008) = 0.000001
    assertThat(json.get("allocations").get(0).get("amount").asText()).isEqualTo("0.000001");
  }

  /**
   * The data's own values (the 2025-10-10 per-user file writes leverages with 14 decimals, 0 where
   * the account value is negative, and exponents): leverages are rounded up at rate scale,
   * 0.99999999999999 to 1 and 1.99999999999999 to 2; money down, 100.0000004 to 100; a leverage of
   * 0 is unboundedly levered and gets the largest of the others, 2. RAP (Chitra, arXiv 2512.01112,
   * corrected text, "Risk-aware Policies") then cuts the fractions h = tau * (1, 2, 2) of u = (100,
   * 100, 50): budget 25 gives tau = 25 / 400, x = (6.25, 12.5, 6.25), burdens (0.0625, 0.125,
   * 0.125).
   */
  @Test
  void acceptsTheDatasOwnValues() throws IOException {
    Path book =
        csv(
            "data.csv",
            "\uFEFFaccount,pnl,equity,leverage\n"
                + "a,100.0000004,812.9456990000003,0.99999999999999\n"
                + "b,1e2,-0.0011640000000099349,0.0\n"
                + "c,50,1.4999999999983776e-05,1.99999999999999\n");

    CliRun run = run("allocate", "--policy", "rap", "--budget", "25", "--book", book.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = run.json();
    assertThat(texts(json.get("allocations"), "amount")).containsExactly("6.25", "12.5", "6.25");
    assertThat(texts(json.get("allocations"), "burden"))
        .containsExactly("0.0625", "0.125", "0.125");
    assertThat(json.get("notes").get(0).asText()).contains("1 candidate(s) with a leverage of 0");
    assertThat(run.err()).contains("backstop allocate: note: 1 candidate(s) with a leverage of 0");
    assertThat(json.get("money").get("target").asText()).isEqualTo("25");
    assertThat(json.get("contracts").isNull()).isTrue();
  }

  /**
   * {@code --lot 0.1}: sizes 0.3 and 0.5 are 3 and 5 lots; integer contract pro rata of 0.4 (4
   * lots) gives exact shares 1.5 and 2.5, floors (1, 2), and the lot left to the first of the two
   * equal fractions: (2, 2) lots, 0.2 contracts each. Sizes are named by their unit in contracts{}.
   * A size that is not a whole number of lots is refused, naming the line and field.
   */
  @Test
  void theLotSetsTheSizeGrid() throws IOException {
    Path book =
        csv(
            "lots.csv",
            """
            account,side,size,entry_price,mark_price,collateral
            a,short,0.3,110,100,50
            b,short,0.5,110,100,50
            """);

    CliRun run =
        run(
            "allocate",
            "--policy",
            "contract-pro-rata",
            "--size",
            "0.4",
            "--lot",
            "0.1",
            "--book",
            book.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = run.json();
    assertThat(texts(json.get("allocations"), "sizeClosed")).containsExactly("0.2", "0.2");
    assertThat(json.get("budget").asText()).isEqualTo("0.4");
    JsonNode contracts = json.get("contracts");
    assertThat(contracts.get("lot").asText()).isEqualTo("0.1");
    assertThat(contracts.get("target").asText()).isEqualTo("0.4");
    assertThat(contracts.get("taken").asText()).isEqualTo("0.4");
    assertThat(json.get("money").get("target").isNull()).isTrue();
    // PnL of the shorts: 10 * 0.3 = 3 and 10 * 0.5 = 5; 2 of 3 lots and 2 of 5 lots closed
    assertThat(json.get("money").get("taken").asText()).isEqualTo("4");

    CliRun coarse =
        run(
            "allocate",
            "--policy",
            "contract-pro-rata",
            "--size",
            "0.4",
            "--lot",
            "0.2",
            "--book",
            book.toString());
    assertThat(coarse.exitCode()).isNotZero();
    assertThat(coarse.out()).isEmpty();
    assertThat(coarse.err())
        .contains("lots.csv line 2, field 'size': 0.3 is not a whole number of lots of 0.2");
  }

  /**
   * A target partly left unallocated says why. 600 winners of 1 each and a budget of 1,000: the
   * random policy visits at most 500 (dYdX's limit), so 500 is taken and 500 left. On the Chitra
   * book a budget of 20 exceeds the capacity of 12.5: 7.5 is left.
   */
  @Test
  void aResidualIsExplained() throws IOException {
    StringBuilder many = new StringBuilder("account,pnl,equity\n");
    for (int i = 0; i < 600; i++) {
      many.append(i).append(",1,2\n");
    }
    Path crowd = csv("crowd.csv", many.toString());
    CliRun random =
        run("allocate", "--policy", "random", "--budget", "1000", "--book", crowd.toString());
    assertThat(random.exitCode()).as(random.err()).isZero();
    JsonNode json = random.json();
    assertThat(json.get("taken").asText()).isEqualTo("500");
    assertThat(json.get("residual").asText()).isEqualTo("500");
    assertThat(json.get("residualReason").asText())
        .contains("visits at most 500 of the 600 candidates")
        .contains("500 (money) of the target was left unallocated");
    assertThat(random.err()).contains("note: the random policy visits at most 500");

    CliRun capacity =
        run(
            "allocate",
            "--policy",
            "pro-rata",
            "--budget",
            "20",
            "--book",
            csv("chitra.csv", CHITRA).toString());
    assertThat(capacity.json().get("residualReason").asText())
        .isEqualTo(
            "the candidates can give only 12.5 (money), so 7.5 of the target was left"
                + " unallocated");
    CliRun full =
        run(
            "allocate",
            "--policy",
            "pro-rata",
            "--budget",
            "7.5",
            "--book",
            csv("chitra.csv", CHITRA).toString());
    assertThat(full.json().get("residualReason").isNull()).isTrue();
    assertThat(full.json().get("notes")).isEmpty();
    assertThat(full.err()).isEmpty();
  }

  @Test
  void theHelpListsEveryPolicyScoreAndWeight() {
    CliRun help = run("allocate", "--help");
    assertThat(help.exitCode()).isZero();
    // the help wraps lines anywhere, even inside a name: compare without white space
    String text = help.out().replaceAll("\\s", "");
    assertThat(text).contains("Oneof:" + String.join(",", AllocationPolicies.NAMES) + ".");
    assertThat(text)
        .contains("queue-full:" + String.join(",", AllocationPolicies.scoreNames()) + "(default");
    assertThat(text)
        .contains("rap:" + String.join(",", AllocationPolicies.riskWeightNames()) + "(");
    List<String> bySize =
        AllocationPolicies.NAMES.stream()
            .filter(
                name ->
                    AllocationPolicies.byName(name, QueueScore.BITMEX, RiskWeight.LEVERAGE, 0, 1)
                        .supports(AllocationMode.SIZE))
            .toList();
    assertThat(text).contains("for" + String.join(",", bySize) + ".");
  }
}
