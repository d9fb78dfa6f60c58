package dev.memos.kernel.event;

/** The kinds of kernel events. The wire name is {@link #wireName()}, e.g. {@code cube.created}. */
public enum EventType {
    CUBE_CREATED("cube.created"),
    CUBE_VERSIONED("cube.versioned"),
    CUBE_TRANSITIONED("cube.transitioned"),
    CUBE_INVALIDATED("cube.invalidated"),
    CUBE_DELETED("cube.deleted"),
    SPACE_CREATED("space.created"),
    SPACE_DELETED("space.deleted"),
    GRANT_CHANGED("grant.changed"),
    /** A principal's API key was replaced: every instance forgets the old key at once (space: {@code ""}). */
    PRINCIPAL_KEY_CHANGED("principal.key-changed"),
    /**
     * An administrator asked to index the cubes set aside again: every instance retries its own (each keeps its
     * own search index and its own list; space: {@code ""}).
     */
    INDEX_RETRY_REQUESTED("index.retry-requested");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static EventType fromWireName(String name) {
        for (EventType type : values()) {
            if (type.wireName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown event type " + name);
    }
}
