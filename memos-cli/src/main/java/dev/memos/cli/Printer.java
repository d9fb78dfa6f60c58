package dev.memos.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.memos.client.MemosClient;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints results as an aligned table or as the service's JSON. */
final class Printer {
    private final PrintWriter out;
    private final Connection.Output format;

    Printer(PrintWriter out, Connection.Output format) {
        this.out = out;
        this.format = format;
    }

    /** An answer of the client as the JSON the service sent. */
    static JsonNode tree(Object answer) {
        return answer instanceof JsonNode node ? node : MemosClient.json().valueToTree(answer);
    }

    /**
     * Prints {@code answer} as JSON, or the rows at {@code rowsField} of it (empty: it is the list) under
     * {@code columns} (JSON paths like governance/priority).
     */
    void rows(Object answer, String rowsField, String... columns) {
        JsonNode node = tree(answer);
        rows(node, rowsField.isEmpty() ? node : node.path(rowsField), columns);
    }

    private void rows(JsonNode node, JsonNode rows, String... columns) {
        if (format == Connection.Output.json) {
            json(node);
            return;
        }
        List<String[]> lines = new ArrayList<>();
        String[] header = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
            String c = columns[i];
            header[i] = c.substring(c.lastIndexOf('/') + 1).toUpperCase();
        }
        lines.add(header);
        for (JsonNode row : rows) {
            String[] cells = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                cells[i] = cell(row.at("/" + columns[i]));
            }
            lines.add(cells);
        }
        int[] widths = new int[columns.length];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : lines) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                b.append(i == line.length - 1 ? line[i] : String.format("%-" + widths[i] + "s  ", line[i]));
            }
            out.println(b.toString().stripTrailing());
        }
        out.flush();
    }

    /** Prints one object as "key: value" lines, or as JSON. */
    void object(Object answer, String... fields) {
        JsonNode node = tree(answer);
        if (format == Connection.Output.json) {
            json(node);
            return;
        }
        for (String field : fields) {
            JsonNode value = node.at("/" + field);
            if (!value.isMissingNode() && !value.isNull()) {
                out.printf("%-22s %s%n", field.replace('/', '.') + ":", cell(value));
            }
        }
        out.flush();
    }

    void message(String text) {
        if (format == Connection.Output.table) {
            out.println(text);
            out.flush();
        }
    }

    void json(Object answer) {
        try {
            out.println(MemosClient.json().writerWithDefaultPrettyPrinter().writeValueAsString(tree(answer)));
        } catch (JsonProcessingException e) {
            throw new CliException(ExitCodes.FAILED, "cannot print JSON: " + e.getMessage());
        }
        out.flush();
    }

    boolean isJson() {
        return format == Connection.Output.json;
    }

    static String cell(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "-";
        }
        if (value.isArray()) {
            List<String> parts = new ArrayList<>();
            value.forEach(v -> parts.add(v.asText()));
            return String.join(",", parts);
        }
        String text = value.asText();
        text = text.replace('\n', ' ');
        return text.length() > 60 ? text.substring(0, 59) + "…" : text;
    }
}
