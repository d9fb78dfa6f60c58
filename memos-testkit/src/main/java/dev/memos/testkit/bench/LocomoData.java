package dev.memos.testkit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The LoCoMo data as memos' evaluations read it (schema: the data's README beside it). Each dialog turn becomes
 * "Speaker: text" (with the image caption when a photo was shared); the questions of categories 1–4 keep the
 * evidence ids the conversation has (malformed or absent ones are counted, not kept). Read from where it lies,
 * never copied into the project.
 */
public final class LocomoData {
    private static final DateTimeFormatter SESSION_TIME = DateTimeFormatter.ofPattern("h:mm a 'on' d MMMM, yyyy", Locale.ENGLISH);

    /** One turn: dialog id ("D1:3"), session number, speaker, text, and the session's date. */
    public record Turn(String dia, int session, String speaker, String text, Instant when) {
    }

    public record Question(String text, Set<String> evidence, int category) {
    }

    public record Conversation(String id, List<Turn> turns, List<Question> questions) {
    }

    /**
     * @param skippedEvidence evidence ids that name no turn of their conversation
     */
    public record Data(List<Conversation> conversations, int skippedEvidence) {
    }

    private LocomoData() {
    }

    public static Data read(Path file) throws IOException {
        JsonNode all = new ObjectMapper().readTree(file.toFile());
        List<Conversation> conversations = new ArrayList<>();
        int skipped = 0;
        for (JsonNode conversation : all) {
            JsonNode c = conversation.get("conversation");
            List<Turn> turns = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (int session = 1; c.has("session_" + session); session++) {
                Instant when = LocalDateTime.parse(c.get("session_" + session + "_date_time").asText()
                        .replace("am", "AM").replace("pm", "PM"), SESSION_TIME).toInstant(ZoneOffset.UTC);
                for (JsonNode turn : c.get("session_" + session)) {
                    String text = turn.get("speaker").asText() + ": " + turn.get("text").asText();
                    if (turn.has("blip_caption")) {
                        text += " [shares a photo: " + turn.get("blip_caption").asText() + "]";
                    }
                    turns.add(new Turn(turn.get("dia_id").asText(), session, turn.get("speaker").asText(), text, when));
                    ids.add(turn.get("dia_id").asText());
                }
            }
            List<Question> questions = new ArrayList<>();
            for (JsonNode qa : conversation.get("qa")) {
                int category = qa.get("category").asInt();
                if (category < 1 || category > 4) {
                    continue;
                }
                Set<String> evidence = new HashSet<>();
                for (JsonNode e : qa.get("evidence")) {
                    for (String id : e.asText().split("[;,\\s]+")) {
                        if (ids.contains(id.trim())) {
                            evidence.add(id.trim());
                        } else if (!id.isBlank()) {
                            skipped++;
                        }
                    }
                }
                if (!evidence.isEmpty()) {
                    questions.add(new Question(qa.get("question").asText(), evidence, category));
                }
            }
            conversations.add(new Conversation(conversation.get("sample_id").asText(), turns, questions));
        }
        return new Data(conversations, skipped);
    }
}
