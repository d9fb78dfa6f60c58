package dev.memos.kernel.governance;

import dev.memos.kernel.access.Principal;
import dev.memos.kernel.model.Source;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a new memory goes into quarantine (state QUARANTINED: kept, out of recall, until a space
 * administrator releases it) instead of into recall. Two reasons, after A-MemGuard: the writer is not trusted
 * (its source or the acting principal is on a configured list), or the text addresses the model rather than
 * stating something about the world: instructions to ignore or replace earlier ones, chat-template control
 * tokens, text shaped like a tool call. A poisoned memory would otherwise reach every later prompt that
 * recalls it.
 *
 * @param untrustedSources sources whose memories are quarantined
 * @param untrustedActors principal ids or names whose memories are quarantined
 * @param injections whether text addressing the model is quarantined
 */
public record Quarantine(Set<Source> untrustedSources, Set<String> untrustedActors, boolean injections) {

    private static final List<Pattern> ADDRESSING_THE_MODEL = List.of(
            Pattern.compile("\\b(?:ignore|disregard|forget|override)\\s+(?:all\\s+|any\\s+|the\\s+|your\\s+|every\\s+)*"
                    + "(?:previous|prior|above|earlier|preceding|existing|system)\\s+(?:instructions?|prompts?|messages?|rules?"
                    + "|context|directions?)", Pattern.CASE_INSENSITIVE),
            Pattern.compile("\\b(?:new|updated|real)\\s+(?:system\\s+)?instructions?\\s*:", Pattern.CASE_INSENSITIVE),
            Pattern.compile("\\byou\\s+(?:are|will)\\s+now\\s+(?:act|be|behave|respond|an?\\b)", Pattern.CASE_INSENSITIVE),
            Pattern.compile("\\b(?:reveal|print|repeat|leak|show)\\s+(?:me\\s+)?(?:your|the)\\s+(?:system\\s+prompt|hidden"
                    + "\\s+instructions|instructions|api\\s+keys?|password)", Pattern.CASE_INSENSITIVE),
            Pattern.compile("\\b(?:do\\s+not|don't|never)\\s+(?:tell|inform|warn)\\s+the\\s+user", Pattern.CASE_INSENSITIVE),
            Pattern.compile("<\\|(?:im_start|im_end|system|user|assistant|endoftext|eot_id|start_header_id)\\|>|\\[/?INST\\]"
                    + "|<</?SYS>>|^\\s*(?:system|assistant)\\s*:", Pattern.CASE_INSENSITIVE | Pattern.MULTILINE),
            Pattern.compile("\"(?:tool_calls|function_call)\"\\s*:|</?tool_call>|\\{\\s*\"name\"\\s*:\\s*\"[^\"]{1,64}\"\\s*,"
                    + "\\s*\"(?:arguments|parameters)\"\\s*:"));

    public Quarantine {
        untrustedSources = untrustedSources.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(untrustedSources));
        untrustedActors = Set.copyOf(untrustedActors);
    }

    /** Quarantines nothing. */
    public static Quarantine off() {
        return new Quarantine(Set.of(), Set.of(), false);
    }

    /** Quarantines only text that addresses the model. */
    public static Quarantine injectionsOnly() {
        return new Quarantine(Set.of(), Set.of(), true);
    }

    /** Why a memory written by {@code actor} from {@code source} with this text is quarantined; empty when it is not. */
    public Optional<String> reason(Principal actor, Source source, String text) {
        if (untrustedActors.contains(actor.id()) || untrustedActors.contains(actor.name())) {
            return Optional.of("untrusted actor " + actor.id());
        }
        if (source != null && untrustedSources.contains(source)) {
            return Optional.of("untrusted source " + source);
        }
        if (injections && text != null) {
            for (int i = 0; i < ADDRESSING_THE_MODEL.size(); i++) {
                Matcher m = ADDRESSING_THE_MODEL.get(i).matcher(text);
                if (m.find()) {
                    return Optional.of("the text addresses the model (rule " + (i + 1) + " at " + m.start() + "-" + m.end()
                            + ")");
                }
            }
        }
        return Optional.empty();
    }
}
