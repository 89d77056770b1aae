package org.mailtls.cli.pin;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table whose cells may span several lines; columns are separated by two spaces. */
final class TextTable {
  private final List<String> headers;
  private final List<List<List<String>>> rows = new ArrayList<>();

  TextTable(List<String> headers) {
    this.headers = List.copyOf(headers);
  }

  /** Adds a row: one list of lines per column. */
  void add(List<List<String>> cells) {
    if (cells.size() != headers.size()) {
      throw new IllegalArgumentException(cells.size() + " cells for " + headers.size() + " columns");
    }
    rows.add(cells);
  }

  void print(PrintWriter out) {
    int[] width = new int[headers.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = headers.get(c).length();
      for (List<List<String>> row : rows) {
        for (String line : row.get(c)) {
          width[c] = Math.max(width[c], line.length());
        }
      }
    }
    printLine(out, headers, width);
    for (List<List<String>> row : rows) {
      int height = row.stream().mapToInt(List::size).max().orElse(1);
      for (int i = 0; i < Math.max(1, height); i++) {
        List<String> line = new ArrayList<>();
        for (List<String> cell : row) {
          line.add(i < cell.size() ? cell.get(i) : "");
        }
        printLine(out, line, width);
      }
    }
  }

  private static void printLine(PrintWriter out, List<String> cells, int[] width) {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      sb.append(cells.get(c));
      if (c < cells.size() - 1) {
        sb.append(" ".repeat(width[c] - cells.get(c).length() + 2));
      }
    }
    out.println(sb.toString().stripTrailing());
  }

  /** Splits {@code text} into lines of at most {@code width} characters at spaces where possible. */
  static List<String> wrap(String text, int width) {
    List<String> out = new ArrayList<>();
    String rest = text.strip();
    while (rest.length() > width) {
      int cut = rest.lastIndexOf(' ', width);
      if (cut <= 0) {
        cut = width;
      }
      out.add(rest.substring(0, cut).stripTrailing());
      rest = rest.substring(cut).stripLeading();
    }
    if (!rest.isEmpty() || out.isEmpty()) {
      out.add(rest);
    }
    return out;
  }
}
