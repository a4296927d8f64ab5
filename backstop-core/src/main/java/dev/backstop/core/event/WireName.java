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

  /**
   * Each enum type's wire names by ordinal, made once per type (events write them by the million).
   */
  private static final ClassValue<String[]> ENUM_NAMES =
      new ClassValue<>() {
        @Override
        protected String[] computeValue(Class<?> type) {
          Object[] values = type.getEnumConstants();
          String[] names = new String[values.length];
          for (int i = 0; i < values.length; i++) {
            names[i] = ((Enum<?>) values[i]).name().toLowerCase(Locale.ROOT).replace('_', '-');
          }
          return names;
        }
      };

  /** Each event record's wire type, made once per record class. */
  private static final ClassValue<String> EVENT_NAMES =
      new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
          String name = type.getSimpleName();
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
      };

  private WireName() {}

  /** The wire name of an enum value. */
  public static String of(Enum<?> value) {
    return ENUM_NAMES.get(value.getDeclaringClass())[value.ordinal()];
  }

  /** The wire type of an event: its record's name, words joined by {@code -}. */
  public static String of(Event event) {
    return EVENT_NAMES.get(event.getClass());
  }

  /** The wire type of an event record class, as {@link #of(Event)} gives it for its events. */
  public static String ofEventClass(Class<? extends Event> type) {
    return EVENT_NAMES.get(type);
  }

  /**
   * The enum value with a wire name.
   *
   * @param what what the value is, for the message ({@code score})
   * @throws IllegalArgumentException naming the accepted values when there is none: {@code unknown
   *     score 'x'; expected bitmex, binance or hyperliquid}
   */
  public static <E extends Enum<E>> E parse(Class<E> type, String wire, String what) {
    List<String> names = new ArrayList<>();
    for (E value : type.getEnumConstants()) {
      if (of(value).equals(wire)) {
        return value;
      }
      names.add(of(value));
    }
    throw new IllegalArgumentException(
        "unknown " + what + " '" + wire + "'; expected " + oneOf(names));
  }

  /** The enum value with a wire name; the message calls it a value. */
  public static <E extends Enum<E>> E parse(Class<E> type, String wire) {
    return parse(type, wire, "value");
  }

  /** Names as a reader would list them: {@code a, b or c}. */
  public static String oneOf(List<String> names) {
    int last = names.size() - 1;
    return last <= 0
        ? String.join("", names)
        : String.join(", ", names.subList(0, last)) + " or " + names.get(last);
  }
}
