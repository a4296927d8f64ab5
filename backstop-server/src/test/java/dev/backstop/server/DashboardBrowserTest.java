package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: the system chromium and chromedriver (Debian's packages), driven
 * by Selenium, against a server on loopback. The operator API drives {@link Crash}; the test reads
 * what the trader's page shows (the ADL lights change, the banner appears when the account is
 * deleveraged, the history says "counterparty liquidation") and what the operator's shows as it
 * happens. Skipped, with the reason, where chromium or chromedriver is not installed.
 *
 * <p>Screenshots of both views go to {@code target/screenshots}; with {@code
 * -Dbackstop.screenshots=DIR} also to {@code DIR/dashboard-operator.png} and {@code
 * DIR/dashboard-trader.png} (the ones in {@code docs/} were made so).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DashboardBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  @TempDir Path profile;

  @Test
  void theTraderSeesTheLightsChangeTheBannerAndTheCounterpartyLiquidation() throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "skipped: no "
            + CHROMIUM
            + " or "
            + CHROMEDRIVER
            + " (apt-get install chromium"
            + " chromium-driver)");
    try (ServerFixture f = ServerFixture.start(dir)) {
      f.run(Crash.SETUP + Crash.FALL);
      Http bob = f.trader("bob");
      String base = "http://127.0.0.1:" + f.server.port() + "/dashboard/";
      WebDriver driver = driver();
      try {
        WebDriverWait wait = new WebDriverWait(driver, WAIT);

        driver.get(base + "#view=trader&key=" + bob.key());
        wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
        assertThat(driver.getCurrentUrl())
            .as("the key leaves the address bar")
            .doesNotContain("bk_");
        WebElement xbt = positionRow(wait, "XBT-PERP");
        assertThat(xbt.getAttribute("data-lights")).isEqualTo("4");
        assertThat(xbt.findElements(By.cssSelector(".lights i.on"))).hasSize(4);
        assertThat(xbt.getText()).contains("2 of 3");
        String due = null;
        for (var margin : ServerFixture.json(bob.get("/api/account")).path("marginAccounts")) {
          for (var position : margin.path("positions")) {
            if (margin.path("margin").asText().equals("cross")
                && position.path("market").asText().equals("XBT-PERP")) {
              due = position.path("unsettledFunding").asText();
            }
          }
        }
        assertThat(due).as("the API's funding due").isNotNull();
        assertThat(xbt.getAttribute("data-funding")).as("funding due").isEqualTo(due);
        assertThat(driver.findElement(By.id("banner")).isDisplayed()).isFalse();
        String trader = driver.getWindowHandle();

        driver.switchTo().newWindow(WindowType.TAB);
        driver.get(base + "#view=operator&key=" + f.operator.key());
        wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
        String operator = driver.getWindowHandle();

        f.run(Crash.ADL);
        // the operator's page shows the deleveraging as it happens, and the decision
        wait.until(
            d -> d.findElements(By.cssSelector("#feed tr[data-type='offsetting']")).size() == 2);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("decisions"), "fund"));

        driver.switchTo().window(trader);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("banner")));
        assertThat(driver.findElement(By.id("banner")).getAttribute("data-category"))
            .isEqualTo("auto-deleveraging");
        assertThat(driver.findElement(By.id("banner")).getText()).contains("auto-deleveraged");
        wait.until(d -> "3".equals(positionRow(wait, "XBT-PERP").getAttribute("data-lights")));
        assertThat(tradeRow(wait, "offsetting").getText()).contains("offsetting (ADL)", "0.6108");

        f.run(Crash.OMNI);
        WebElement counterparty = tradeRow(wait, "counterparty-liquidation");
        assertThat(counterparty.getText()).contains("counterparty liquidation", "OMNI-ETH");
        wait.until(
            d ->
                "counterparty-liquidation"
                    .equals(d.findElement(By.id("banner")).getAttribute("data-category")));
        assertThat(driver.findElement(By.id("banner")).getText())
            .contains("Counterparty liquidation");
        wait.until(
            d -> d.findElements(By.cssSelector("#positions tr[data-market='OMNI-ETH']")).isEmpty());
        screenshot(driver, "dashboard-trader.png");

        driver.switchTo().window(operator);
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("feed"), "counterparty liquidation"));
        wait.until(
            d -> d.findElements(By.cssSelector("#queue-short tr[data-account='bob']")).size() == 1);
        assertThat(driver.findElement(By.id("fund-chart")).findElements(By.tagName("canvas")))
            .isNotEmpty();
        screenshot(driver, "dashboard-operator.png");
      } finally {
        driver.quit();
      }
    }
  }

  private WebDriver driver() {
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1400,1500",
            "--user-data-dir=" + profile));
    return new ChromeDriver(service, options);
  }

  private static WebElement positionRow(WebDriverWait wait, String market) {
    return wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#positions tr[data-market='" + market + "'][data-margin='cross']")));
  }

  private static WebElement tradeRow(WebDriverWait wait, String category) {
    return wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#trades tr[data-category='" + category + "']")));
  }

  private static void screenshot(WebDriver driver, String name) throws Exception {
    File shot = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE);
    Path target = Path.of("target", "screenshots");
    Files.createDirectories(target);
    Files.copy(shot.toPath(), target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    String copyTo = System.getProperty("backstop.screenshots", "");
    if (!copyTo.isBlank()) {
      Files.copy(shot.toPath(), Path.of(copyTo).resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
