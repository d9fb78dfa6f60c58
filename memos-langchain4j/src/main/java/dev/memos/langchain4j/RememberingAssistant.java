package dev.memos.langchain4j;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import dev.memos.client.MemosClient;
import dev.memos.client.MemosException;

import java.util.Arrays;

/**
 * A LangChain4j AI service that remembers across runs: its chat memory is kept in a memos space (one session per
 * user) and each question is answered with the memories memos finds for it. Run it twice: what you told it in
 * the first run is in the second run's prompt.
 *
 * <pre>
 * ./memos assistant dana "My sister Eve lives in Porto."
 * ./memos assistant dana "Where does my sister live?"
 * </pre>
 *
 * Settings (environment): {@code MEMOS_URL}, {@code MEMOS_API_KEY} (as for the CLI), {@code MEMOS_SPACE}
 * (default {@code assistant}), {@code OPENAI_BASE_URL} (default: memos' own OpenAI-compatible endpoint, which
 * needs {@code memos.engine.model}), {@code OPENAI_API_KEY}, {@code OPENAI_MODEL} (default {@code memos/<space>}, the space as memos names it).
 */
public final class RememberingAssistant {
    /** What the AI service answers; its memory is per user. */
    public interface Assistant {
        String chat(@MemoryId String user, @UserMessage String message);
    }

    private RememberingAssistant() {
    }

    /** The assistant over {@code memos} (space {@code space}) and {@code model}. */
    public static Assistant create(MemosClient memos, String space, ChatModel model) {
        // the README and docs/agents.md show this region; DocSnippetsTest keeps them the same
        // --- docs/agents.md ---
        MemosChatMemoryStore store = new MemosChatMemoryStore(memos, space);
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(model)
                .chatMemoryProvider(user -> MessageWindowChatMemory.builder().id(user).maxMessages(20)
                        .chatMemoryStore(store).build())
                .contentRetriever(MemosContentRetriever.builder().client(memos).space(space).maxResults(5)
                        .readYourWrites(true).build())
                .build();
        // --- end ---
        return assistant;
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: assistant <user> <message…>");
            System.exit(2);
        }
        String url = env("MEMOS_URL", "http://127.0.0.1:8080");
        String space = env("MEMOS_SPACE", "assistant");
        MemosClient memos = MemosClient.builder().url(url).apiKey(System.getenv("MEMOS_API_KEY")).build();
        try {
            memos.spaces().get(space);
        } catch (MemosException.NotFound missing) {
            memos.spaces().create(space, "the remembering assistant's conversations");
        }
        ChatModel model = OpenAiChatModel.builder()
                .baseUrl(env("OPENAI_BASE_URL", url + "/v1"))
                .apiKey(env("OPENAI_API_KEY", System.getenv("MEMOS_API_KEY")))
                .modelName(env("OPENAI_MODEL", "memos/" + space))
                .build();
        String message = String.join(" ", Arrays.copyOfRange(args, 1, args.length));
        System.out.println(create(memos, space, model).chat(args[0], message));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
