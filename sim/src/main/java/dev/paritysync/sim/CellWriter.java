package dev.paritysync.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The one writer of held cells for every dialect: the cell fields of a {@link FieldMap}, in its
 * order, under its names, each only when the cell has it.
 */
final class CellWriter {
  private CellWriter() {}

  /** Where a field goes: a JSON member, an XML attribute, … */
  @FunctionalInterface
  interface Sink<E extends Exception> {
    void put(String name, Object value) throws E;
  }

  /** Puts every cell field of {@code map} that {@code key} → {@code value} has into {@code out}. */
  static <E extends Exception> void write(FieldMap map, CellKey key, CellValue value, Sink<E> out)
      throws E {
    for (Map.Entry<AriField, String> e : map.names().entrySet()) {
      if (!e.getKey().inCell()) {
        continue;
      }
      Object v = e.getKey().of(key, value);
      if (v != null) {
        out.put(e.getValue(), v);
      }
    }
  }

  /** {@link #write} as members of a JSON object. */
  static void json(ObjectNode node, FieldMap map, CellKey key, CellValue value) {
    write(map, key, value, (name, v) -> put(node, name, v));
  }

  /** {@link #write} as attributes of the XML element just started. */
  static void xml(XMLStreamWriter w, FieldMap map, CellKey key, CellValue value)
      throws XMLStreamException {
    write(map, key, value, (name, v) -> w.writeAttribute(name, v.toString()));
  }

  private static void put(ObjectNode node, String name, Object v) {
    if (v instanceof String s) {
      node.put(name, s);
    } else if (v instanceof Integer i) {
      node.put(name, i);
    } else if (v instanceof Boolean b) {
      node.put(name, b);
    } else {
      node.putPOJO(name, v);
    }
  }
}
