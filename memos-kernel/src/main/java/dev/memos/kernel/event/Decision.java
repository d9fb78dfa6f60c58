package dev.memos.kernel.event;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Why memos itself moved a memory: the policy, a sentence a user can read, and the inputs and
 * thresholds the policy compared. Carried in the event's data as {@code policy}, {@code reason} and
 * {@code input.<name>}, so the scheduler log shows it.
 */
public record Decision(String policy, String reason, Map<String, String> inputs) {
    /** The actor recorded on events of memos' own decisions. */
    public static final String SCHEDULER = "memos-scheduler";

    public Decision {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(reason, "reason");
        inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
    }

    public Map<String, String> data() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("policy", policy);
        data.put("reason", reason);
        inputs.forEach((k, v) -> data.put("input." + k, v));
        return data;
    }
}
