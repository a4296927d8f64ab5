package dev.backstop.core.engine;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 of a snapshot, shortened to the 64-bit state hash. */
final class StateDigest {

  private StateDigest() {}

  /** The first 8 bytes, big-endian, of SHA-256 over {@code snapshot}. */
  static long hash(byte[] snapshot) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(snapshot);
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest's contract).
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
