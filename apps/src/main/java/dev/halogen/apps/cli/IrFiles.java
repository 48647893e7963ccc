package dev.halogen.apps.cli;

import dev.halogen.ir.IrFormatException;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.json.IrJson;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reading and writing the IR files the commands take: JSON ({@link IrJson}, recognized by a first
 * character {@code '{'}) or IR text ({@link IrParser}), whatever the file is called. Every problem
 * is a {@link CliException} naming the file, and for a malformed file the JSON path or {@code
 * line:column} the reader reports.
 */
final class IrFiles {
  private IrFiles() {}

  /** What an IR file holds. */
  sealed interface Ir {
    /** The canonical IR text of the contents. */
    String text();
  }

  record PipelineIr(Pipeline pipeline) implements Ir {
    @Override
    public String text() {
      return IrPrinter.print(pipeline);
    }
  }

  record ModuleIr(LoweredModule module) implements Ir {
    @Override
    public String text() {
      return IrPrinter.print(module);
    }
  }

  private static final Pattern JSON_KIND = Pattern.compile("\"kind\"\\s*:\\s*\"([a-z]+)\"");

  /** The pipeline in {@code file}. */
  static Pipeline readPipeline(Path file) {
    String text = readText(file);
    try {
      return isJson(text) ? IrJson.pipelineFromJson(text) : IrParser.parsePipeline(text);
    } catch (IrFormatException e) {
      throw malformed(file, "pipeline", e);
    }
  }

  /** The pipeline or lowered module in {@code file}: JSON of either kind, or text starting with {@code pipeline} or {@code module}. */
  static Ir readPipelineOrModule(Path file) {
    String text = readText(file);
    boolean module;
    if (isJson(text)) {
      Matcher m = JSON_KIND.matcher(text);
      module = m.find() && m.group(1).equals("module");
    } else {
      module = firstWord(text).equals("module");
    }
    try {
      if (module) return new ModuleIr(isJson(text) ? IrJson.moduleFromJson(text) : IrParser.parseModule(text));
      return new PipelineIr(isJson(text) ? IrJson.pipelineFromJson(text) : IrParser.parsePipeline(text));
    } catch (IrFormatException e) {
      throw malformed(file, module ? "module" : "pipeline", e);
    }
  }

  /** The text of {@code file}, or a failure naming it when it is missing or unreadable. */
  static String readText(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw CliException.failure(file + ": no such file");
    } catch (AccessDeniedException e) {
      throw CliException.failure(file + ": permission denied");
    } catch (IOException e) {
      throw CliException.failure(file + ": cannot be read: " + e.getMessage());
    }
  }

  /** Writes {@code text} to {@code file}, or to {@code out} when {@code file} is null. */
  static void writeText(@Nullable Path file, String text, PrintStream out) {
    if (file == null) {
      out.print(text);
      out.flush();
      return;
    }
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliException.failure(file + ": cannot be written: " + e.getMessage());
    }
  }

  /** Whether {@code file} is to hold JSON: its name ends in {@code .json}. */
  static boolean jsonName(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
  }

  private static boolean isJson(String text) {
    return text.stripLeading().startsWith("{");
  }

  /** The first word of IR text, after blank lines and {@code //} comments. */
  private static String firstWord(String text) {
    for (String line : text.split("\n")) {
      String s = line.strip();
      if (s.isEmpty() || s.startsWith("//")) continue;
      int end = 0;
      while (end < s.length() && Character.isLetter(s.charAt(end))) end++;
      return s.substring(0, end);
    }
    return "";
  }

  private static CliException malformed(Path file, String what, IrFormatException e) {
    return new CliException(CliException.FAILURE, file + ": malformed " + what + ": " + e.getMessage(), e);
  }
}
