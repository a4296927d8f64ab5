package dev.backstop.core.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one casing of every value on the wire (commands, events, reports): lower-case words joined by
 * {@code -}, as the presets and policies are named ({@code dydx-v4}, {@code queue-full}). An enum
 * value {@code SHORTFALL_COVER} is {@code shortfall-cover}; an event record {@code BackstopApplied}
 * has the type {@code backstop-applied}.
 */
public final class WireName {

  private WireName() {}

  /** The wire name of an enum value. */
  public static String of(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The wire type of an event: its record's name, words joined by {@code -}. */
  public static String of(Event event) {
    String name = event.getClass().getSimpleName();
    StringBuilder out = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c) && i > 0) {
        out.append('-');
      }
      out.append(Character.toLowerCase(c));
    }
    return out.toString();
  }

  /**
   * The enum value with a wire name.
   *
   * @throws IllegalArgumentException naming the accepted values when there is none
   */
  public static <E extends Enum<E>> E parse(Class<E> type, String wire) {
    List<String> names = new ArrayList<>();
    for (E value : type.getEnumConstants()) {
      if (of(value).equals(wire)) {
        return value;
      }
      names.add(of(value));
    }
    throw new IllegalArgumentException(
        "unknown value '" + wire + "'; expected one of: " + String.join(", ", names));
  }
}
