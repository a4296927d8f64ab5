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

  @Test
  void pricesMustBeExactInMoneyPerLot() throws IOException {
    // Sizes with 2 decimals leave 4 decimals for a price in money units (6) per lot.
    Path book =
        csv(
            "prices.csv",
            "account,side,size,entry_price,mark_price,collateral\na,long,0.25,100,100.00001,10\n");

    CliRun run = run("allocate", "--policy", "queue", "--size", "0.1", "--book", book.toString());

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .contains("line 2, field 'mark_price'")
        .contains("not exact in money units per lot");
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
