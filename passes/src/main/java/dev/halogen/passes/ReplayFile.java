package dev.halogen.passes;

import dev.halogen.ir.IrFormatException;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What is needed to run the rest of a pass list again from where a pass failed: the failing
 * pass's input, what held of it, and the names of the passes from the failing one to the end.
 * {@link PassManager} writes one when a pass fails and {@link PassManager#replay(Path)} runs one.
 *
 * <p>The file is text, UTF-8. A header of {@code //} comment lines, then one or two sections of
 * IR text, each introduced by a {@code // section: NAME} line. The IR text form has {@code //}
 * comments and its printer never writes any, so every section is plain {@link IrPrinter} text that
 * {@link IrParser} reads; for the function graph the whole file is a pipeline text as it stands.
 *
 * <pre>
 * // halogen replay 1
 * // failure: pass 'strip-add-zero' (2 of 3) threw java.lang.IllegalStateException: boom
 * // properties: FUNCTION_GRAPH GRAPH_VERIFIED
 * // passes: strip-add-zero rename-func
 * // section: pipeline
 * pipeline outputs(g)
 * ...
 * </pre>
 *
 * <ul>
 *   <li>{@code halogen replay 1}: the format and its version; must be the first line.
 *   <li>{@code failure}: what went wrong, one line; informational, not read back.
 *   <li>{@code properties}: the {@link IrProperty} names that held of the input, space-separated.
 *   <li>{@code passes}: the pass names to run, the failing one first, space-separated.
 *   <li>sections: {@code pipeline} for the function graph ({@link IrUnit.Graph}); {@code source}
 *       (the source pipeline) then {@code module} (the lowered module) for loop nests ({@link
 *       IrUnit.Loops}).
 * </ul>
 *
 * @param input the input of the first pass of {@code passes}
 * @param properties what held of {@code input}
 * @param passes the names of the passes to run, in order
 * @param failure one line on what went wrong (may be empty)
 */
public record ReplayFile(IrUnit input, Set<IrProperty> properties, List<String> passes, String failure) {
  /** The first line of every replay file. */
  public static final String MAGIC = "// halogen replay 1";

  private static final String SECTION = "// section: ";

  public ReplayFile {
    if (input == null) throw new IllegalArgumentException("ReplayFile input is null");
    properties = PropertySets.copy(properties);
    passes = List.copyOf(passes);
    if (failure.contains("\n") || failure.contains("\r")) {
      throw new IllegalArgumentException("ReplayFile failure must be one line");
    }
  }

  /** The text of the file, as described above. */
  public String text() {
    StringBuilder sb = new StringBuilder(MAGIC).append('\n');
    if (!failure.isEmpty()) sb.append("// failure: ").append(failure).append('\n');
    sb.append("// properties:");
    for (IrProperty p : properties) sb.append(' ').append(p.name());
    sb.append('\n');
    sb.append("// passes:");
    for (String p : passes) sb.append(' ').append(p);
    sb.append('\n');
    switch (input) {
      case IrUnit.Graph g -> sb.append(SECTION).append("pipeline\n").append(IrPrinter.print(g.pipeline()));
      case IrUnit.Loops l -> sb.append(SECTION).append("source\n").append(IrPrinter.print(l.source()))
          .append(SECTION).append("module\n").append(IrPrinter.print(l.module()));
    }
    return sb.toString();
  }

  /** Writes {@link #text()} to {@code file}. */
  public void write(Path file) throws IOException {
    Files.writeString(file, text(), StandardCharsets.UTF_8);
  }

  /**
   * Reads a replay file.
   *
   * @throws IrFormatException naming {@code file:line[:column]} when it is not a valid replay file
   * @throws UncheckedIOException when it cannot be read
   */
  public static ReplayFile read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read replay file " + file, e);
    }
    return parse(text, file.toString());
  }

  /**
   * Reads the text of a replay file; {@code source} names it in error locations.
   *
   * @throws IrFormatException naming {@code source:line[:column]}
   */
  public static ReplayFile parse(String text, String source) {
    String[] lines = text.replace("\r\n", "\n").split("\n", -1);
    if (!lines[0].equals(MAGIC)) {
      throw new IrFormatException(source + ":1", "not a replay file: the first line must be '" + MAGIC + "'");
    }
    // Header key -> its value and its 1-based line.
    Map<String, String> header = new LinkedHashMap<>();
    Map<String, Integer> headerLine = new LinkedHashMap<>();
    int line = 1;
    for (; line < lines.length && !lines[line].startsWith(SECTION); line++) {
      String l = lines[line];
      if (l.isBlank()) continue;
      int colon = l.indexOf(':');
      if (!l.startsWith("// ") || colon < 0) {
        throw new IrFormatException(source + ":" + (line + 1), "expected a header line '// key: value' or '"
            + SECTION + "NAME', got '" + l + "'");
      }
      String key = l.substring(3, colon).strip();
      header.put(key, l.substring(colon + 1).strip());
      headerLine.put(key, line + 1);
    }
    List<IrProperty> properties = new ArrayList<>();
    for (String w : words(header, "properties", source)) {
      try {
        properties.add(IrProperty.valueOf(w));
      } catch (IllegalArgumentException e) {
        throw new IrFormatException(source + ":" + headerLine.get("properties"), "unknown IR property '" + w
            + "'; the properties are " + Arrays.toString(IrProperty.values()));
      }
    }
    List<String> passes = words(header, "passes", source);
    // Section name -> [first line, end line) of its IR text (0-based line indices).
    Map<String, int[]> sections = new LinkedHashMap<>();
    int start = -1;
    String name = "";
    for (; line <= lines.length; line++) {
      if (line == lines.length || lines[line].startsWith(SECTION)) {
        if (start >= 0 && sections.put(name, new int[] {start, line}) != null) {
          throw new IrFormatException(source + ":" + start, "section '" + name + "' appears twice");
        }
        if (line < lines.length) {
          name = lines[line].substring(SECTION.length()).strip();
          start = line + 1;
        }
      }
    }
    IrUnit input;
    if (sections.keySet().equals(Set.of("pipeline"))) {
      input = IrUnit.of(section(IrParser::parsePipeline, lines, sections.get("pipeline"), source));
    } else if (sections.keySet().equals(Set.of("source", "module"))) {
      Pipeline src = section(IrParser::parsePipeline, lines, sections.get("source"), source);
      input = new IrUnit.Loops(section(IrParser::parseModule, lines, sections.get("module"), source), src);
    } else {
      throw new IrFormatException(source, "a replay file has the section 'pipeline', or 'source' and 'module'; found "
          + (sections.isEmpty() ? "none" : String.join(", ", sections.keySet())));
    }
    return new ReplayFile(input, PropertySets.copy(properties), passes, header.getOrDefault("failure", ""));
  }

  private static List<String> words(Map<String, String> header, String key, String source) {
    String value = header.get(key);
    if (value == null) throw new IrFormatException(source, "the replay file has no '// " + key + ":' line");
    return value.isEmpty() ? List.of() : Arrays.asList(value.split("\\s+"));
  }

  /**
   * Parses lines {@code [range[0], range[1])} with the other lines blanked out, so that the
   * parser's line numbers are those of the file.
   */
  private static <T> T section(java.util.function.Function<String, T> parser, String[] lines, int[] range,
      String source) {
    List<String> blanked = new ArrayList<>(lines.length);
    for (int i = 0; i < lines.length; i++) blanked.add(i >= range[0] && i < range[1] ? lines[i] : "");
    try {
      return parser.apply(String.join("\n", blanked));
    } catch (IrFormatException e) {
      String problem = e.getMessage().substring(e.location().length() + 2);
      throw new IrFormatException(source + ":" + e.location(), problem, e);
    }
  }
}
