package dev.memos.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import dev.memos.client.CubesClient;
import dev.memos.client.MemosClient;
import dev.memos.client.model.Cube;
import dev.memos.client.model.CubePatch;
import dev.memos.client.model.NewCube;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A LangChain4j {@link ChatMemoryStore} whose messages are memos cubes: one cube of kind {@code message} per
 * message, in one space, with the memory id as the session. What a chat memory evicts from its window stays in
 * memos (tagged {@value #EVICTED}), where search still finds it; {@link #deleteMessages} erases the conversation.
 *
 * <p>System, user and assistant messages are kept as their text, so that they read and search as memories; an
 * assistant message that asks for tools and a tool's result are kept as LangChain4j's JSON of the message
 * (tagged {@value #JSON}), so that tool-call ids survive. One writer per memory id at a time.
 */
public final class MemosChatMemoryStore implements ChatMemoryStore {
    /** The kind of the cubes this store writes. */
    public static final String KIND = "message";
    /** Tag of a message the chat memory no longer holds. */
    public static final String EVICTED = "chat-memory:evicted";
    /** Tag of a message kept as LangChain4j's JSON. */
    public static final String JSON = "format:langchain4j-json";
    private static final String ROLE = "role:";

    private final MemosClient memos;
    private final String space;

    /** @param space the space the conversations are kept in; the client's key needs WRITE on it */
    public MemosChatMemoryStore(MemosClient memos, String space) {
        this.memos = Objects.requireNonNull(memos, "memos");
        this.space = Objects.requireNonNull(space, "space");
    }

    /** The tag naming a memory id's messages: a digest, so that any id (an object's text) makes a valid tag. */
    public static String conversationTag(Object memoryId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.valueOf(memoryId).getBytes(StandardCharsets.UTF_8));
            return "chat:" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A stored message and the cube that holds it. */
    private record Kept(Cube cube, ChatMessage message) {
    }

    private List<Kept> kept(Object memoryId) {
        CubesClient.CubeQuery query = new CubesClient.CubeQuery(null, KIND, conversationTag(memoryId), null, null, 200);
        return memos.cubes().listAll(space, query)
                .filter(c -> c.tags() == null || !c.tags().contains(EVICTED))
                .map(c -> new Kept(c, message(c)))
                .toList();
    }

    @Override
    public List<ChatMessage> getMessages(Object memoryId) {
        return kept(memoryId).stream().map(Kept::message).collect(Collectors.toCollection(ArrayList::new));
    }

    /**
     * Makes the stored conversation equal to {@code messages}. A chat memory gives back what it held, less what
     * it evicted (the oldest, but not a pinned system message), plus the new messages at the end. The longest
     * beginning of {@code messages} found in order among the stored ones is kept; stored messages it skips are
     * marked evicted; the rest of {@code messages} is written after them.
     */
    @Override
    public void updateMessages(Object memoryId, List<ChatMessage> messages) {
        List<Kept> stored = kept(memoryId);
        List<Kept> evicted = new ArrayList<>();
        int matched = 0;
        int next = 0;
        for (ChatMessage message : messages) {
            int at = next;
            while (at < stored.size() && !same(stored.get(at).message(), message)) {
                at++;
            }
            if (at == stored.size()) {
                break;
            }
            evicted.addAll(stored.subList(next, at));
            next = at + 1;
            matched++;
        }
        evicted.addAll(stored.subList(next, stored.size()));
        for (Kept gone : evicted) {
            List<String> tags = new ArrayList<>(gone.cube().tags());
            tags.add(EVICTED);
            memos.cubes().update(gone.cube().id(), gone.cube().version(), CubePatch.none().withTags(tags));
        }
        for (ChatMessage message : messages.subList(matched, messages.size())) {
            memos.cubes().write(space, cube(memoryId, message));
        }
    }

    /** Erases the conversation's messages from memos (each erasure is checked by the service). */
    @Override
    public void deleteMessages(Object memoryId) {
        CubesClient.CubeQuery query = new CubesClient.CubeQuery(null, KIND, conversationTag(memoryId), null, null, 200);
        for (Cube cube : memos.cubes().listAll(space, query).toList()) {
            memos.cubes().delete(cube.id(), false, "chat memory cleared");
        }
    }

    /** The same message as far as this store keeps it: its role and its text, or its whole JSON. */
    private static boolean same(ChatMessage a, ChatMessage b) {
        return a.type() == b.type() && Objects.equals(form(a), form(b));
    }

    /** What the cube's text is for a message: its text, or its JSON. */
    private static String form(ChatMessage message) {
        String text = textOf(message);
        return text != null ? text : ChatMessageSerializer.messageToJson(message);
    }

    private static NewCube cube(Object memoryId, ChatMessage message) {
        String role = message.type().name().toLowerCase(java.util.Locale.ROOT);
        List<String> tags = new ArrayList<>(List.of(conversationTag(memoryId), ROLE + role));
        if (textOf(message) == null) {
            tags.add(JSON);
        }
        String text = form(message);
        String session = String.valueOf(memoryId);
        return NewCube.of(text).kind(KIND).tags(tags).source("conversation", null)
                .session(session.length() <= 128 ? session : conversationTag(memoryId));
    }

    /** The text this store keeps a message as, or null when it keeps the message's JSON. */
    private static String textOf(ChatMessage message) {
        return switch (message) {
            case SystemMessage system -> system.text();
            case UserMessage user when user.name() == null && user.hasSingleText() && user.attributes().isEmpty() ->
                    user.singleText();
            case AiMessage ai when !ai.hasToolExecutionRequests() && ai.text() != null && ai.thinking() == null
                    && ai.images().isEmpty() && ai.attributes().isEmpty() -> ai.text();
            default -> null;
        };
    }

    private static ChatMessage message(Cube cube) {
        List<String> tags = cube.tags() == null ? List.of() : cube.tags();
        if (tags.contains(JSON)) {
            return ChatMessageDeserializer.messageFromJson(cube.text());
        }
        String role = tags.stream().filter(t -> t.startsWith(ROLE)).map(t -> t.substring(ROLE.length())).findFirst()
                .orElse("user");
        return switch (role) {
            case "system" -> SystemMessage.from(cube.text());
            case "ai" -> AiMessage.from(cube.text());
            default -> UserMessage.from(cube.text());
        };
    }
}
