package dev.memos.kernel.engine;

import java.util.List;

/**
 * How memories and a conversation become a prompt. The memory block is the prefix an activation cube holds the
 * KV state of, so a chat that restores it and a chat that prefills it see the same tokens; memories beyond it and
 * the conversation follow. A plain format, not a model's chat template: the prefix must not depend on the
 * conversation.
 */
public final class MemoryPrompt {
    public static final String HEADER = "You are an assistant with a long-term memory. What you remember:\n";

    private MemoryPrompt() {
    }

    /** One message of a conversation. */
    public record Turn(String role, String content) {
    }

    /** The memory block: the header and one line per memory (none: the header alone). */
    public static String prefix(List<String> memories) {
        StringBuilder text = new StringBuilder(HEADER);
        for (String memory : memories) {
            text.append("- ").append(oneLine(memory)).append('\n');
        }
        return text.toString();
    }

    /** What follows the memory block: further memories, then the conversation, then the assistant's cue. */
    public static String suffix(List<String> moreMemories, List<Turn> conversation) {
        StringBuilder text = new StringBuilder();
        for (String memory : moreMemories) {
            text.append("- ").append(oneLine(memory)).append('\n');
        }
        text.append('\n');
        for (Turn turn : conversation) {
            text.append(turn.role()).append(": ").append(turn.content().strip()).append('\n');
        }
        return text.append("assistant:").toString();
    }

    /** The stop strings that end an answer where the model starts another turn. */
    public static List<String> turnStops() {
        return List.of("\nuser:", "\nsystem:");
    }

    private static String oneLine(String memory) {
        return memory.replace('\n', ' ').replace('\r', ' ').strip();
    }
}
