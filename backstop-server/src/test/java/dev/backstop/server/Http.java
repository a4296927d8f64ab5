package dev.backstop.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small loopback HTTP client for the server tests, every call bounded in time. */
final class Http {

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String key;

  /** A client without a key. */
  Http(int port) {
    this(port, null);
  }

  /** A client sending {@code key} as {@code X-API-Key} on every request (none when null). */
  Http(int port, String key) {
    this.base = "http://127.0.0.1:" + port;
    this.key = key;
  }

  /** The same server with another key. */
  Http as(String otherKey) {
    return new Http(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), otherKey);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    return key == null ? b : b.header("X-API-Key", key);
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return client.send(
        request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> delete(String path) throws IOException, InterruptedException {
    return client.send(request(path).DELETE().build(), HttpResponse.BodyHandlers.ofString());
  }

  String key() {
    return key;
  }

  HttpClient client() {
    return client;
  }

  String base() {
    return base;
  }
}
