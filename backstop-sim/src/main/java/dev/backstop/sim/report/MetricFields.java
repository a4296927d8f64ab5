package dev.backstop.sim.report;

import dev.backstop.core.num.Decimal;
import dev.backstop.sim.run.PolicyMetrics;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * Every field of {@link PolicyMetrics}, by its name and in its declared order, then {@code
 * conserved}: the one list behind summary.json and summary.csv, read from the record itself so a
 * field added to the record appears in both files without touching them.
 */
final class MetricFields {

  /** The record's components, in declaration order. */
  private static final RecordComponent[] COMPONENTS = PolicyMetrics.class.getRecordComponents();

  private MetricFields() {}

  /**
   * One field's value, typed for the data files.
   *
   * @param name the record component's name
   * @param value a {@link Decimal} (money), a {@link Double} (a ratio, or null when there is none),
   *     a {@link Long} (a count), a {@link String} or a {@link Boolean}
   */
  record Field(String name, Object value) {}

  /** The field names, then {@code conserved}. */
  static List<String> names() {
    List<String> names = new ArrayList<>();
    for (RecordComponent component : COMPONENTS) {
      names.add(component.getName());
    }
    names.add("conserved");
    return names;
  }

  /** The fields of {@code metrics}, in the order of {@link #names()}. */
  static List<Field> of(PolicyMetrics metrics) {
    List<Field> fields = new ArrayList<>();
    for (RecordComponent component : COMPONENTS) {
      fields.add(new Field(component.getName(), read(component, metrics)));
    }
    fields.add(new Field("conserved", metrics.conserved()));
    return fields;
  }

  private static Object read(RecordComponent component, PolicyMetrics metrics) {
    Object value;
    try {
      value = component.getAccessor().invoke(metrics);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read PolicyMetrics." + component.getName(), e);
    }
    if (value == null
        || value instanceof Decimal
        || value instanceof Double
        || value instanceof Long
        || value instanceof String) {
      return value;
    }
    throw new IllegalStateException(
        "PolicyMetrics."
            + component.getName()
            + " has a type the reports do not know how to write: "
            + component.getType().getName());
  }
}
