package dev.backstop.json;

import dev.backstop.core.event.Event;
import dev.backstop.core.event.WireName;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import java.io.IOException;
import java.io.Writer;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.nio.CharBuffer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * Event lines written straight into a character buffer, the text {@link EngineJson}'s Jackson
 * serializers would write, character for character ({@code EventLinesTest} holds them to it for
 * every event type). Each event record's form is found once, from its components: a field name
 * becomes the characters {@code ,"name":} made once, an accessor a generated lambda (as Jackson's
 * Blackbird module makes them), and each value is written by its type: a decimal formatted from its
 * units between quotes, a {@code long} as digits, an enum as its wire name, a string escaped only
 * where one of its characters needs it.
 *
 * <p>Why not Jackson here: each line through Jackson's generator went through a bean serializer,
 * the generator's own buffer, a {@code Writer} and a copy, and a scan of the whole line for lone
 * surrogates; writing an event cost more than applying the command that caused it ({@code
 * docs/performance.md}, "Reading and writing the lines"). A record with a component of any other
 * type has no form here, and {@link EngineJson} writes it through Jackson.
 */
final class EventLines {

  /** The form of each event record class; null for a class this writer has no form for. */
  private static final ClassValue<Form> FORMS =
      new ClassValue<>() {
        @Override
        protected Form computeValue(Class<?> type) {
          return Form.of(type);
        }
      };

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private char[] buffer = new char[512];
  private int length;
  private final char[] digits = new char[Fixed.FORMAT_CHARS];

  /**
   * Appends the event's line to {@code out}, without a newline, as {@link
   * EngineJson#appendEventLine} describes it; false, with nothing written, when the event's class
   * has no form here.
   */
  boolean append(Appendable out, long seq, long line, Event event) throws IOException {
    Form form = FORMS.get(event.getClass());
    if (form == null) {
      return false;
    }
    length = 0;
    raw(SEQ);
    number(seq);
    raw(EVENT_SEQ);
    number(event.seq());
    raw(form.typeAndTime);
    number(event.time());
    raw(LINE);
    number(line);
    for (Part part : form.parts) {
      raw(part.name);
      part.write(event, this);
    }
    room(1);
    buffer[length++] = '}';
    if (out instanceof StringBuilder builder) {
      builder.append(buffer, 0, length);
    } else if (out instanceof Writer writer) {
      writer.write(buffer, 0, length);
    } else {
      out.append(CharBuffer.wrap(buffer, 0, length));
    }
    return true;
  }

  private static final char[] SEQ = "{\"seq\":".toCharArray();
  private static final char[] EVENT_SEQ = ",\"eventSeq\":".toCharArray();
  private static final char[] LINE = ",\"line\":".toCharArray();
  private static final char[] NULL = "null".toCharArray();

  private void room(int more) {
    if (length + more > buffer.length) {
      char[] grown = new char[Math.max(buffer.length * 2, length + more)];
      System.arraycopy(buffer, 0, grown, 0, length);
      buffer = grown;
    }
  }

  private void raw(char[] chars) {
    room(chars.length);
    System.arraycopy(chars, 0, buffer, length, chars.length);
    length += chars.length;
  }

  private void number(long value) {
    int start = Fixed.formatInto(value, 0, digits, digits.length);
    int n = digits.length - start;
    room(n);
    System.arraycopy(digits, start, buffer, length, n);
    length += n;
  }

  private void decimal(Decimal value) {
    if (value == null) {
      raw(NULL);
      return;
    }
    int start = value.formatInto(digits, digits.length);
    int n = digits.length - start;
    room(n + 2);
    buffer[length++] = '"';
    System.arraycopy(digits, start, buffer, length, n);
    length += n;
    buffer[length++] = '"';
  }

  /**
   * A JSON string as Jackson's generator escapes it ({@code "} and {@code \} by a backslash, the
   * control characters by their short escape or {@code \}{@code u00XX}), and a lone surrogate,
   * which has no UTF-8 form, as a {@code \}{@code uXXXX} escape in lower case, as {@link
   * EngineJson#escapeLoneSurrogates} writes it.
   */
  private void string(String value) {
    if (value == null) {
      raw(NULL);
      return;
    }
    int n = value.length();
    room(n + 2);
    buffer[length++] = '"';
    int i = 0;
    // The common case: no character needs escaping; copied as it is checked.
    while (i < n) {
      char c = value.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) {
        break;
      }
      buffer[length++] = c;
      i++;
    }
    for (; i < n; i++) {
      char c = value.charAt(i);
      room(7);
      if (c == '"' || c == '\\') {
        buffer[length++] = '\\';
        buffer[length++] = c;
      } else if (c < 0x20) {
        escapeControl(c);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        buffer[length++] = c;
        buffer[length++] = value.charAt(++i);
      } else if (Character.isSurrogate(c)) {
        String escape = String.format("\\u%04x", (int) c);
        escape.getChars(0, escape.length(), buffer, length);
        length += escape.length();
      } else {
        buffer[length++] = c;
      }
    }
    room(1);
    buffer[length++] = '"';
  }

  private void escapeControl(char c) {
    char shortForm =
        switch (c) {
          case '\b' -> 'b';
          case '\t' -> 't';
          case '\n' -> 'n';
          case '\f' -> 'f';
          case '\r' -> 'r';
          default -> 0;
        };
    buffer[length++] = '\\';
    if (shortForm != 0) {
      buffer[length++] = shortForm;
      return;
    }
    buffer[length++] = 'u';
    buffer[length++] = '0';
    buffer[length++] = '0';
    buffer[length++] = HEX[c >> 4];
    buffer[length++] = HEX[c & 0xF];
  }

  private void bool(boolean value) {
    raw(value ? TRUE : FALSE);
  }

  private static final char[] TRUE = "true".toCharArray();
  private static final char[] FALSE = "false".toCharArray();

  /** How one event record class is written: its type and time, then each of its other fields. */
  private record Form(char[] typeAndTime, Part[] parts) {

    /** The form of {@code type}, or null when a component has a type not written here. */
    static Form of(Class<?> type) {
      if (!type.isRecord() || !Event.class.isAssignableFrom(type)) {
        return null;
      }
      RecordComponent[] components = type.getRecordComponents();
      Part[] parts = new Part[components.length - 2];
      int k = 0;
      for (RecordComponent c : components) {
        if (c.getName().equals("seq") || c.getName().equals("time")) {
          continue;
        }
        if (k == parts.length) {
          return null;
        }
        Part part = Part.of(type, c);
        if (part == null) {
          return null;
        }
        parts[k++] = part;
      }
      if (k != parts.length) {
        return null;
      }
      String wire = WireName.ofEventClass(type.asSubclass(Event.class));
      return new Form((",\"type\":\"" + wire + "\",\"time\":").toCharArray(), parts);
    }
  }

  /** One field of a record: its name, as {@code ,"name":}, and how its value is written. */
  private abstract static class Part {
    final char[] name;

    Part(String name) {
      this.name = (",\"" + name + "\":").toCharArray();
    }

    abstract void write(Object event, EventLines out);

    /** The part for a component, or null if its type (or its name) is not written here. */
    @SuppressWarnings("unchecked")
    static Part of(Class<?> type, RecordComponent component) {
      String name = component.getName();
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
          return null;
        }
      }
      Class<?> value = component.getType();
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        MethodHandle getter = lookup.unreflect(component.getAccessor());
        if (value == long.class) {
          ToLongFunction<Object> f =
              (ToLongFunction<Object>)
                  lambda(ToLongFunction.class, "applyAsLong", long.class, type, getter);
          return new Part(name) {
            @Override
            void write(Object event, EventLines out) {
              out.number(f.applyAsLong(event));
            }
          };
        }
        if (value == int.class) {
          ToIntFunction<Object> f =
              (ToIntFunction<Object>)
                  lambda(ToIntFunction.class, "applyAsInt", int.class, type, getter);
          return new Part(name) {
            @Override
            void write(Object event, EventLines out) {
              out.number(f.applyAsInt(event));
            }
          };
        }
        if (value == boolean.class) {
          Predicate<Object> f =
              (Predicate<Object>) lambda(Predicate.class, "test", boolean.class, type, getter);
          return new Part(name) {
            @Override
            void write(Object event, EventLines out) {
              out.bool(f.test(event));
            }
          };
        }
        if (value != String.class && value != Decimal.class && !value.isEnum()) {
          return null;
        }
        Function<Object, Object> f =
            (Function<Object, Object>) lambda(Function.class, "apply", Object.class, type, getter);
        if (value == String.class) {
          return new Part(name) {
            @Override
            void write(Object event, EventLines out) {
              out.string((String) f.apply(event));
            }
          };
        }
        if (value == Decimal.class) {
          return new Part(name) {
            @Override
            void write(Object event, EventLines out) {
              out.decimal((Decimal) f.apply(event));
            }
          };
        }
        return new Part(name) {
          @Override
          void write(Object event, EventLines out) {
            Enum<?> e = (Enum<?>) f.apply(event);
            out.string(e == null ? null : WireName.of(e));
          }
        };
      } catch (Throwable e) {
        // No lambda for this accessor: the class is written through Jackson instead.
        return null;
      }
    }

    /**
     * A {@code face} lambda calling {@code getter}, made by the lambda metafactory: a call through
     * it costs an interface call, where a method handle held in a field costs an invocation it
     * cannot inline.
     */
    private static Object lambda(
        Class<?> face, String method, Class<?> returns, Class<?> record, MethodHandle getter)
        throws Throwable {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      return LambdaMetafactory.metafactory(
              lookup,
              method,
              MethodType.methodType(face),
              MethodType.methodType(returns, Object.class),
              getter,
              MethodType.methodType(getter.type().returnType(), record))
          .getTarget()
          .invoke();
    }
  }
}
