package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard is served from the jar, without a key, with every script and stylesheet its page
 * names (uPlot from its webjar, no CDN). The browser test drives it; this one needs no browser.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DashboardTest {

  @TempDir Path dir;

  @Test
  void thePageAndEveryAssetItNamesAreServedFromTheJar() throws Exception {
    try (ServerFixture f = ServerFixture.start(dir)) {
      Http anyone = f.operator.as(null);
      HttpResponse<String> page = anyone.get("/dashboard/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
      List<String> assets = new ArrayList<>();
      Matcher m = Pattern.compile("(?:src|href)=\"([^\"#]+)\"").matcher(page.body());
      while (m.find()) {
        assets.add(m.group(1));
      }
      assertThat(assets)
          .contains("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", "app.js", "style.css")
          .allSatisfy(a -> assertThat(a).doesNotStartWith("http"));
      for (String asset : assets) {
        String path = asset.startsWith("/") ? asset : "/dashboard/" + asset;
        HttpResponse<String> response = anyone.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        assertThat(response.body()).as(path).isNotBlank();
      }
      HttpResponse<String> root = anyone.get("/");
      assertThat(root.statusCode()).isEqualTo(302);
      assertThat(root.headers().firstValue("Location")).hasValue("/dashboard/");
    }
  }
}
