package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /openapi.json} describes every route the server registers, and no other. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenApiTest {

  @TempDir Path dir;

  @Test
  void everyRouteIsInTheDocumentWithItsMethodAndSecurityAndNothingElseIs() throws Exception {
    try (ServerFixture f = ServerFixture.start(dir)) {
      var response = f.operator.as(null).get("/openapi.json");
      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode doc = ServerFixture.json(response);
      assertThat(doc.path("openapi").asText()).startsWith("3.");
      JsonNode paths = doc.path("paths");
      Set<String> registered = new HashSet<>();
      for (BackstopServer.Route route : f.server.routes()) {
        // a WebSocket is documented as the GET of its upgrade
        String method =
            route.method().equals("WS") ? "get" : route.method().toLowerCase(Locale.ROOT);
        JsonNode operation = paths.path(route.path()).path(method);
        assertThat(operation.isObject()).as(route + " is documented").isTrue();
        assertThat(operation.path("summary").asText()).as(route + " has a summary").isNotBlank();
        assertThat(operation.path("responses").size()).as(route + " has responses").isPositive();
        boolean open = operation.has("security") && operation.path("security").isEmpty();
        assertThat(open)
            .as(route + ": public in the document exactly when public in the server")
            .isEqualTo(route.access() == BackstopServer.Access.PUBLIC);
        if (route.access() == BackstopServer.Access.ACCOUNT && !route.method().equals("POST")) {
          assertThat(operation.path("parameters").findValuesAsText("name"))
              .as(route + " documents account=")
              .contains("account");
        }
        registered.add(method + " " + route.path());
      }
      for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
        String path = it.next();
        for (Iterator<String> m = paths.path(path).fieldNames(); m.hasNext(); ) {
          String method = m.next();
          assertThat(registered).as("documented but not served").contains(method + " " + path);
        }
      }
      // every schema referenced is defined
      for (JsonNode ref : doc.findValues("$ref")) {
        String name = ref.asText().substring("#/components/schemas/".length());
        assertThat(doc.path("components").path("schemas").has(name)).as(name).isTrue();
      }
    }
  }
}
