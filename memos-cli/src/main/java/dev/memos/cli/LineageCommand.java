package dev.memos.cli;

import dev.memos.client.MemosClient;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A cube's lineage drawn as trees: what it came from (from its live version) and what came of it (from version 1). */
@Command(name = "lineage", description = "Show where a cube came from and what became of it, as a tree. "
        + "Versions of cubes you may not read appear as [redacted].",
        footer = {"%nExamples:", "  ./memos lineage 01a2…-cube-id", "  ./memos lineage 01a2…-cube-id --direction ancestors --depth 10",
                "  ./memos lineage 01a2…-cube-id -o json        (nodes and edges as the API returns them)", ExitCodes.HELP})
final class LineageCommand extends ApiCommand {
    @Parameters(index = "0", description = "Cube id.")
    String id;
    @Option(names = "--direction", description = "ancestors, descendants or both (default).")
    String direction;
    @Option(names = "--depth", description = "How many links to follow, 0-25 (default 5).")
    Integer depth;

    private record Link(String type, String ref) {
    }

    @Override
    void run(MemosClient memos, Printer out) {
        JsonNode graph = Printer.tree(memos.cubes().lineage(id, direction, depth));
        if (out.isJson()) {
            out.json(graph);
            return;
        }
        Map<String, JsonNode> nodes = new LinkedHashMap<>();
        graph.path("nodes").forEach(n -> nodes.put(n.path("ref").asText(), n));
        String d = graph.path("direction").asText("both");
        List<String> lines = new ArrayList<>();
        if (!d.equals("descendants")) {
            lines.add("came from (ancestors of the live version):");
            draw(graph, nodes, graph.path("root").asText(), true, "", lines, new HashSet<>());
        }
        if (!d.equals("ancestors")) {
            lines.add("became (descendants of version 1):");
            draw(graph, nodes, id + "@1", false, "", lines, new HashSet<>());
        }
        if (graph.path("truncated").asBoolean()) {
            lines.add("(more nodes were in reach than one answer holds; narrow it with --depth)");
        }
        lines.forEach(out::message);
    }

    private static void draw(JsonNode graph, Map<String, JsonNode> nodes, String ref, boolean ancestors, String indent,
                             List<String> lines, Set<String> shown) {
        if (indent.isEmpty()) {
            lines.add("  " + label(ref, nodes.get(ref)));
        }
        shown.add(ref);
        List<Link> next = links(graph, ref, ancestors);
        for (int i = 0; i < next.size(); i++) {
            boolean last = i == next.size() - 1;
            Link link = next.get(i);
            boolean again = shown.contains(link.ref());
            lines.add("  " + indent + (last ? "└─ " : "├─ ") + link.type() + " " + label(link.ref(), nodes.get(link.ref()))
                    + (again ? "  (shown above)" : ""));
            if (!again) {
                draw(graph, nodes, link.ref(), ancestors, indent + (last ? "   " : "│  "), lines, shown);
            }
        }
    }

    /** The versions one step away from {@code ref}: towards origins, or towards what came of it. */
    private static List<Link> links(JsonNode graph, String ref, boolean ancestors) {
        List<Link> links = new ArrayList<>();
        for (JsonNode e : graph.path("edges")) {
            String type = e.path("type").asText();
            boolean toOrigin = type.equals("VERSION_OF") || type.equals("DERIVED_FROM");
            String from = e.path("from").asText();
            String to = e.path("to").asText();
            boolean forwards = toOrigin == ancestors;
            if (forwards && from.equals(ref)) {
                links.add(new Link(type, to));
            } else if (!forwards && to.equals(ref)) {
                links.add(new Link(type, from));
            }
        }
        return links;
    }

    private static String label(String ref, JsonNode node) {
        if (node == null || node.path("redacted").asBoolean()) {
            return ref + " [redacted: a cube you may not read]";
        }
        String text = node.path("text").asText("");
        text = text.length() > 50 ? text.substring(0, 49) + "…" : text;
        String day = node.path("recordedAt").asText("");
        return ref + "  " + node.path("state").asText() + "  " + node.path("operation").asText("").toLowerCase()
                + " by " + node.path("actor").asText("?") + (day.length() >= 10 ? " " + day.substring(0, 10) : "")
                + (text.isEmpty() ? "" : "  \"" + text.replace('\n', ' ') + "\"");
    }
}
