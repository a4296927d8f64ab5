package dev.backstop.cli;

import static dev.backstop.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backstop paper-table} as CLI.md describes it, on a hand-made three-wave file. */
class PaperTableCommandTest {

  /** The worked file of the simulator's OnlineLearningMetricsTest; the sums are in its comments. */
  private static final String THREE_WAVES =
      """
      wave,budget_needed,budget_prod,budget_pr,budget_fixed_point_ilp_integer,max_pct_prod,\
      max_pct_pr,max_pct_fixed_point_ilp_integer,deficit_usd
      1,100,150,100,101,1,0.25,0.125,300
      2,50,20,50,50,0.5,0.25,0.25,400
      3,10,10,10,11,0.25,0.5,0.5,1200
      """;

  @TempDir Path dir;

  private Path waves(String csv) throws IOException {
    Path file = dir.resolve("waves.csv");
    Files.writeString(file, csv);
    return file;
  }

  @Test
  void printsAnAlignedTableThenOvershootAndBound() throws IOException {
    CliRun run = run("paper-table", "--waves", waves(THREE_WAVES).toString(), "--path-length", "4");
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .contains("3 waves, lambda = 1")
        .containsPattern(
            "policy\\s+tracking\\s+fairness\\s+total\\s+taken\\s+total/bound\\R"
                + "prod\\s+80\\.00\\s+102\\.50\\s+182\\.50\\s+180\\.00\\s+4\\.68%\\R"
                + "pr\\s+0\\.00\\s+12\\.50\\s+12\\.50\\s+160\\.00\\s+0\\.32%\\R"
                + "fixed_point_ilp_integer\\s+2\\.00\\s+0\\.00\\s+2\\.00\\s+162\\.00\\s+0\\.05%\\R")
        .contains("production overshoot O = sum_t (H_prod,t - B_t): 20.00")
        .contains("P = 4, D_t = deficit: 3,900.00")
        .contains("normalised by equity")
        .doesNotContain("Table 3")
        .doesNotContain("evaluation horizon");
    String[] lines = run.out().split("\\R");
    int header = 2;
    assertThat(lines[header + 1]).hasSameSizeAs(lines[header]);
    assertThat(lines[header + 3]).hasSameSizeAs(lines[header]);
  }

  @Test
  void printsJsonWithTheContractFields() throws IOException {
    CliRun run =
        run(
            "paper-table",
            "--waves",
            waves(THREE_WAVES).toString(),
            "--lambda",
            "2",
            "--path-length",
            "4",
            "--json",
            "--lambda-sweep");
    assertThat(run.exitCode()).isZero();
    JsonNode json = run.json();
    JsonNode prod = json.get("rows").get(0);
    assertThat(prod.get("policy").asText()).isEqualTo("prod");
    // money as decimal strings, as everywhere on the wire
    assertThat(prod.get("tracking").asText()).isEqualTo("80");
    assertThat(prod.get("fairness").asText()).isEqualTo("102.5");
    assertThat(prod.get("total").asText()).isEqualTo("285"); // 80 + 2 * 102.5
    assertThat(prod.get("taken").asText()).isEqualTo("180");
    assertThat(json.get("rows")).hasSize(3);
    assertThat(json.get("overshoot").asText()).isEqualTo("20");
    assertThat(json.get("regretBound").asText()).isEqualTo("3900");
    assertThat(json.get("lambda").asDouble()).isEqualTo(2);
    assertThat(json.get("burden").asText()).isEqualTo("equity");
    assertThat(json.get("deficits").asText()).isEqualTo("file");
    assertThat(prod.get("overshootPositive").asDouble()).isEqualTo(50);
    assertThat(prod.get("undershoot").asDouble()).isEqualTo(30);
    assertThat(json.get("undershoot").asDouble()).isEqualTo(30);
    assertThat(json.get("pathLengthFromFile").asDouble()).isCloseTo(0.325, within(1e-12));
    JsonNode sweep = json.get("lambdaSweep");
    assertThat(sweep).hasSize(4);
    assertThat(sweep.get(0).get("lambda").asDouble()).isEqualTo(0.5);
    assertThat(sweep.get(0).get("total").get("prod").asDouble()).isEqualTo(131.25);
    assertThat(sweep.get(3).get("total").get("pr").asDouble()).isEqualTo(25);
    // production's total over pr's at lambda 0.5: 131.25 / 6.25
    assertThat(sweep.get(0).get("productionRatio").get("pr").asDouble()).isEqualTo(21);
  }

  /**
   * The split of the tracking error (arXiv 2602.15182, eq. 21) and the path length from the file:
   * prod took (150, 20, 10) where (100, 50, 10) was needed, 50 over and 30 under; theta = (1/3,
   * 1/8, 1/120) gives P = 39/120 = 0.325 and the bound 1300 sqrt(1.65) = 1,669.88.
   */
  @Test
  void printsTheUndershootAndThePathLengthFromTheFile() throws IOException {
    CliRun run = run("paper-table", "--waves", waves(THREE_WAVES).toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .containsPattern("overshoot \\[H-B\\]\\+\\s+undershoot V_T\\s+signed H-B")
        .containsPattern("prod\\s+50\\.00\\s+30\\.00\\s+20\\.00")
        .contains("(positive part 50.00, undershoot V_T 30.00)")
        .contains("0.3250 from the file; the paper's estimate 7.06")
        .contains("P = 7.06, D_t = deficit: 5,054.98")
        .contains("with P from the file (0.3250): 1,669.88")
        .contains("no losers file to count each loser once");
  }

  /**
   * The losers and horizon files beside the per-wave file. Largest losses (200, 200, 50): the first
   * wave's loser is short again in the second, so counted once the deficits are (300, 200, 1200),
   * 1,700 in all, and the bound with P = 7.06 is sqrt(15.12 * 1,570,000) = 4,872.21.
   */
  @Test
  void readsTheLosersAndHorizonFilesBesideTheWaves() throws IOException {
    Path file = waves(THREE_WAVES);
    Files.writeString(
        dir.resolve("adl_waves_bad_debt_losers.csv"),
        "wave,deficit_usd,max_loss_usd\n1,300,200\n2,400,200\n3,1200,50\n");
    Files.writeString(
        dir.resolve("adl_horizon_sweep.csv"),
        "eval_horizon_ms,total_deficit_usd,total_budget_needed_usd,total_H_prod_usd,"
            + "total_overshoot_prod_minus_needed_usd\n0,1900,160,180,20\n500,1900,160,190,30\n");
    CliRun run = run("paper-table", "--waves", file.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("deficit sum_t D_t: 1,900.00 as in the file, 1,700.00 counting each loser once")
        .contains("recurs in 1 later waves")
        .containsPattern("500 ms\\s+160\\.00\\s+190\\.00\\s+30\\.00")
        .contains("band: 20.00 (0 ms) to 30.00 (500 ms)");
    CliRun once = run("paper-table", "--waves", file.toString(), "--count-losers-once");
    assertThat(once.exitCode()).isZero();
    assertThat(once.out())
        .contains("P = 7.06, D_t = deficit, each loser once: 4,872.21")
        .contains("D_t above: each loser once");
    JsonNode json = run("paper-table", "--waves", file.toString(), "--json").json();
    assertThat(json.get("eachLoserOnce").get("totalDeficit").asDouble()).isEqualTo(1700);
    assertThat(json.get("horizons").get("highestOvershoot").asDouble()).isEqualTo(30);
  }

  @Test
  void burdensByCapacityNeedTheTotalCapacity() throws IOException {
    CliRun run =
        run("paper-table", "--waves", waves(THREE_WAVES).toString(), "--burden", "capacity");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("total_cap");
    CliRun bad = run("paper-table", "--waves", waves(THREE_WAVES).toString(), "--burden", "x");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).contains("--burden: expected equity or capacity");
    CliRun once =
        run("paper-table", "--waves", waves(THREE_WAVES).toString(), "--count-losers-once");
    assertThat(once.exitCode()).isEqualTo(1);
    assertThat(once.err()).contains("--count-losers-once needs --losers");
  }

  @Test
  void theSweepIsPrintedAsATableToo() throws IOException {
    CliRun run = run("paper-table", "--waves", waves(THREE_WAVES).toString(), "--lambda-sweep");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("total loss by lambda (Table 3):")
        .containsPattern("lambda=0\\.5\\s+lambda=1\\s+lambda=1\\.5\\s+lambda=2")
        .containsPattern("prod\\s+131\\.25\\s+182\\.50\\s+233\\.75\\s+285\\.00");
  }

  /** Two waves of capacity 1000 and three winners of pooled PnL 50, 30, 20 (scores 3, 2, 1). */
  private static final String TWO_WAVES_WITH_CAPACITY =
      """
      wave,budget_needed,deficit_usd,total_cap,budget_prod,max_pct_prod,budget_pr,max_pct_pr,\
      budget_fixed_point_ilp_integer,max_pct_fixed_point_ilp_integer
      3,10,40,1000,60,0.5,10,0.02,11,0.03
      8,20,50,1000,90,1,20,0.02,20,0.025
      """;

  private static final String THREE_WINNERS =
      """
      user,adl_notional,closed_pnl,leverage_realtime,pnl_percent,account_value_realtime
      a,500,50,2,150,100
      b,300,30,4,50,60
      c,200,20,8,12.5,40
      """;

  @Test
  void perWaveRecomputesBesideTheFilesColumnsAndSaysWhichIsWhich() throws IOException {
    Path file = waves(TWO_WAVES_WITH_CAPACITY);
    Files.writeString(dir.resolve("adl_by_user.csv"), THREE_WINNERS);
    CliRun run = run("paper-table", "--waves", file.toString(), "--per-wave");
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .contains("READ from", "RECOMPUTED by Backstop's allocators", "3 winners of")
        // wave 3: 10 of 1000, pro rata 1% each; the queue empties winner a (share 500): 2%
        .containsPattern("3\\s+10\\.00\\s+1,000\\.00\\s+10\\.00\\s+500\\.00\\s+10\\.00")
        .containsPattern("total\\s+30\\.00\\s+2,000\\.00")
        .containsPattern("3\\s+1\\.0000%\\s+2\\.0000%\\s+100\\.0000%\\s+1\\.0000%")
        .contains("the file's budgets budget_X, dollars (READ)")
        .contains("max_pct_X (READ; normalised by equity")
        .containsPattern("pro-rata \\(recomputed\\) vs pr \\(read\\), budget H_t: .*: match")
        .containsPattern("min-max \\(recomputed\\) vs the least burden B_t/U_t .*: match")
        .contains("read only: fixed_point_ilp_integer (integer contracts")
        .contains("Table 2 with Backstop's allocations (RECOMPUTED");

    CliRun json = run("paper-table", "--waves", file.toString(), "--per-wave", "--json");
    assertThat(json.exitCode()).isZero();
    JsonNode perWave = json.json().get("perWave");
    assertThat(perWave.get("winners").asInt()).isEqualTo(3);
    JsonNode first = perWave.get("rows").get(0);
    assertThat(first.get("wave").asText()).isEqualTo("3");
    assertThat(first.get("needed").asText()).isEqualTo("10");
    assertThat(first.get("recomputed").get("queue-full").get("budget").asText()).isEqualTo("500");
    assertThat(first.get("recomputed").get("pro-rata").get("largestBurden").asDouble())
        .isEqualTo(0.01);
    assertThat(first.get("file").get("pr").get("burdenByCapacity").asDouble()).isEqualTo(0.01);
    assertThat(perWave.get("match").get("proRataBurdenGap").asDouble())
        .isLessThanOrEqualTo(perWave.get("match").get("burdenTolerance").asDouble());
  }

  @Test
  void perWaveNeedsTheWinnersAndTheCapacities() throws IOException {
    CliRun noUsers =
        run("paper-table", "--waves", waves(TWO_WAVES_WITH_CAPACITY).toString(), "--per-wave");
    assertThat(noUsers.exitCode()).isEqualTo(1);
    assertThat(noUsers.out()).isEmpty();
    assertThat(noUsers.err()).contains("--users ", "adl_by_user.csv: no such file");
    Files.writeString(dir.resolve("adl_by_user.csv"), THREE_WINNERS);
    CliRun noCapacity = run("paper-table", "--waves", waves(THREE_WAVES).toString(), "--per-wave");
    assertThat(noCapacity.exitCode()).isEqualTo(1);
    assertThat(noCapacity.err()).contains("total_cap");
  }

  @Test
  void aMalformedFileFailsOnStderrWithNothingOnStdout() throws IOException {
    CliRun run =
        run("paper-table", "--waves", waves(THREE_WAVES.replace("50,20,", "50,x,")).toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("line 3, column 'budget_prod': 'x' is not a decimal number");
  }

  @Test
  void aMissingFileOrABadLambdaFails() throws IOException {
    CliRun missing = run("paper-table", "--waves", dir.resolve("absent.csv").toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.out()).isEmpty();
    assertThat(missing.err())
        .contains(
            "--waves ", "absent.csv: no such file", "docs/paper-table.md", "examples/waves.csv");

    CliRun negative =
        run("paper-table", "--waves", waves(THREE_WAVES).toString(), "--lambda", "-1", "--json");
    assertThat(negative.exitCode()).isEqualTo(1);
    assertThat(negative.out()).isEmpty();
    assertThat(negative.err()).contains("--lambda: must be a finite number >= 0, not -1");
  }

  @Test
  void helpDescribesEveryOption() {
    CliRun help = run("paper-table", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out())
        .contains("--waves=FILE.csv")
        .contains("--lambda=LAMBDA")
        .contains("--path-length=P")
        .contains("--json")
        .contains("--lambda-sweep")
        .contains("--burden=NORM")
        .contains("--losers=FILE.csv")
        .contains("--count-losers-once")
        .contains("--horizons=FILE.csv")
        .contains("--per-wave")
        .contains("--users=FILE.csv");
  }
}
