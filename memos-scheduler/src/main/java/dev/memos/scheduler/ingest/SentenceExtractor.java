package dev.memos.scheduler.ingest;

import dev.memos.kernel.spi.Extractor;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The default extractor: offline and rule-based. Every message and every document paragraph is split
 * into sentences; each sentence with at least {@code minWords} words becomes a fact that keeps the
 * speaker (as a {@code "Speaker: "} prefix, so a search for a person finds what they said), the time and
 * the source reference (with {@code #n} appended for the n-th fact of one source).
 */
public final class SentenceExtractor implements Extractor {
    private final int minWords;

    public SentenceExtractor(int minWords) {
        this.minWords = minWords;
    }

    @Override
    public List<Fact> extract(Material material) {
        List<Fact> facts = new ArrayList<>();
        if (material.messages().isEmpty()) {
            String title = material.title() == null || material.title().isBlank() ? null : material.title().strip();
            for (String paragraph : material.document().split("\\n\\s*\\n")) {
                for (String sentence : sentences(paragraph.replaceAll("\\s+", " ").strip())) {
                    facts.add(new Fact(title == null ? sentence : title + ": " + sentence, null, material.time(),
                            material.sourceRef()));
                }
            }
        } else {
            for (Message message : material.messages()) {
                for (String sentence : sentences(message.text().replaceAll("\\s+", " ").strip())) {
                    String text = message.speaker() == null ? sentence : message.speaker() + ": " + sentence;
                    facts.add(new Fact(text, message.speaker(),
                            message.time() != null ? message.time() : material.time(), material.sourceRef()));
                }
            }
        }
        return numbered(facts);
    }

    private List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ENGLISH);
        it.setText(text);
        String carry = "";
        for (int start = it.first(), end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            String sentence = (carry + text.substring(start, end)).strip();
            // A fragment too short to stand alone ("Yes!", "Wow.") joins the next sentence.
            if (words(sentence) < minWords) {
                carry = sentence + " ";
            } else {
                out.add(sentence);
                carry = "";
            }
        }
        if (!carry.isBlank()) {
            if (out.isEmpty()) {
                out.add(carry.strip());
            } else {
                out.set(out.size() - 1, out.getLast() + " " + carry.strip());
            }
        }
        return out;
    }

    private static int words(String s) {
        return s.isBlank() ? 0 : s.strip().split("\\s+").length;
    }

    private static List<Fact> numbered(List<Fact> facts) {
        if (facts.size() < 2) {
            return facts;
        }
        List<Fact> out = new ArrayList<>(facts.size());
        for (int i = 0; i < facts.size(); i++) {
            Fact f = facts.get(i);
            out.add(new Fact(f.text(), f.speaker(), f.time(), f.sourceRef() == null ? null : f.sourceRef() + "#" + (i + 1)));
        }
        return out;
    }
}
