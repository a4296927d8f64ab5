package dev.backstop.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.backstop.sim.io.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API keys of a data directory, in {@code api-keys.json}: one entry per key with its id, its
 * role (the operator, or a trader bound to one account) and the SHA-256 of the key. The key itself
 * is shown once, when it is created, and never stored: a request's key is hashed and looked up.
 *
 * <p>A key is {@code bk_} followed by 32 random bytes from {@link SecureRandom} in unpadded
 * base64url (256 bits), so one unsalted SHA-256 is enough: no dictionary holds such keys, and the
 * hash gives nothing to guess from. The file is rewritten whole through {@link AtomicFile} on every
 * change.
 */
public final class ApiKeys {

  /** The file name of the keys in the data directory. */
  public static final String FILE = "api-keys.json";

  private static final String PREFIX = "bk_";
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  /** What a key may do. */
  public enum Role {
    /** The venue: every command, every account, key management. */
    OPERATOR,
    /** One account: its own data and its own withdrawals. */
    TRADER
  }

  /**
   * Who made a request.
   *
   * @param keyId the key's id ({@code k1}, ...); {@code dev} without keys
   * @param role what the key may do
   * @param account the trader's account; null for the operator
   */
  public record Principal(String keyId, Role role, String account) {
    /** Whether this is the operator. */
    public boolean operator() {
      return role == Role.OPERATOR;
    }
  }

  /**
   * One stored key.
   *
   * @param id its id, for listing and revoking
   * @param role {@code operator} or {@code trader}
   * @param account the trader's account; null for the operator
   * @param sha256 the SHA-256 of the key, in hex
   * @param created when it was created (ISO-8601, UTC)
   */
  public record Entry(String id, String role, String account, String sha256, String created) {}

  private record File(List<Entry> keys) {}

  /**
   * A key just created: the secret, shown once.
   *
   * @param entry its stored form
   * @param key the key to give to its holder
   */
  public record Created(Entry entry, String key) {}

  private final Path path;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Entry> byHash = new ConcurrentHashMap<>();
  private final List<Entry> entries = new ArrayList<>();
  private long nextId = 1;

  private ApiKeys(Path path) {
    this.path = path;
  }

  /**
   * The keys of {@code dataDir}; none when the file is absent.
   *
   * @throws IOException if the file cannot be read or is not a keys file
   */
  public static ApiKeys load(Path dataDir) throws IOException {
    ApiKeys keys = new ApiKeys(dataDir.resolve(FILE));
    if (Files.exists(keys.path)) {
      File file;
      try {
        file = MAPPER.readValue(keys.path.toFile(), File.class);
      } catch (IOException e) {
        throw new IOException(keys.path + ": " + e.getMessage(), e);
      }
      for (Entry e : file.keys() == null ? List.<Entry>of() : file.keys()) {
        keys.add(e);
      }
    }
    return keys;
  }

  private void add(Entry e) throws IOException {
    if (e.id() == null || !e.id().matches("k[1-9][0-9]*")) {
      throw new IOException(path + ": a key id must be k1, k2, ..., not " + e.id());
    }
    Role role = role(e.role());
    if ((role == Role.TRADER) == (e.account() == null || e.account().isEmpty())) {
      throw new IOException(path + ": key " + e.id() + ": a trader key names an account, only it");
    }
    if (e.sha256() == null || !e.sha256().matches("[0-9a-f]{64}")) {
      throw new IOException(path + ": key " + e.id() + ": sha256 must be 64 hex digits");
    }
    entries.add(e);
    byHash.put(e.sha256(), e);
    nextId = Math.max(nextId, Long.parseLong(e.id().substring(1)) + 1);
  }

  private static Role role(String name) throws IOException {
    for (Role r : Role.values()) {
      if (r.name().toLowerCase(java.util.Locale.ROOT).equals(name)) {
        return r;
      }
    }
    throw new IOException("a key's role is operator or trader, not " + name);
  }

  /** Whether any operator key exists. */
  public synchronized boolean hasOperator() {
    return entries.stream().anyMatch(e -> e.role().equals("operator"));
  }

  /**
   * Creates a key, stores its hash and returns the key once.
   *
   * @param account the trader's account, or null for an operator key
   */
  public synchronized Created create(String account) throws IOException {
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    Entry entry =
        new Entry(
            "k" + nextId,
            account == null ? "operator" : "trader",
            account,
            sha256(key),
            Instant.now().toString());
    List<Entry> next = new ArrayList<>(entries);
    next.add(entry);
    save(next);
    add(entry);
    return new Created(entry, key);
  }

  /**
   * Revokes a key; later requests with it are refused.
   *
   * @return false if there is no key with that id
   */
  public synchronized boolean revoke(String id) throws IOException {
    Entry entry = entries.stream().filter(e -> e.id().equals(id)).findFirst().orElse(null);
    if (entry == null) {
      return false;
    }
    List<Entry> next = new ArrayList<>(entries);
    next.remove(entry);
    save(next);
    entries.remove(entry);
    byHash.remove(entry.sha256());
    return true;
  }

  /** Every key, without secrets (the hashes are left out too). */
  public synchronized List<Entry> list() {
    List<Entry> out = new ArrayList<>();
    for (Entry e : entries) {
      out.add(new Entry(e.id(), e.role(), e.account(), null, e.created()));
    }
    return out;
  }

  /** The holder of {@code key}, or null for a key that is not (or no longer) valid. */
  public Principal lookup(String key) {
    if (key == null || !key.startsWith(PREFIX) || key.length() > 128) {
      return null;
    }
    Entry e = byHash.get(sha256(key));
    if (e == null) {
      return null;
    }
    return new Principal(
        e.id(), e.role().equals("operator") ? Role.OPERATOR : Role.TRADER, e.account());
  }

  private void save(List<Entry> next) throws IOException {
    AtomicFile.write(
        path, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(new File(next)) + "\n");
  }

  static String sha256(String key) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
