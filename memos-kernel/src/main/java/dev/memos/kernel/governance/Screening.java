package dev.memos.kernel.governance;

import dev.memos.kernel.access.Principal;
import dev.memos.kernel.model.Source;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What memos checks in a memory's text as it is written: the {@link Detectors} that add sensitivity labels, and
 * the {@link Quarantine} rules that keep a new memory out of recall. The kernel asks once per write or text update
 * and applies the verdict to the cube's labels, state and event.
 */
public record Screening(Detectors detectors, Quarantine quarantine) {
    /** The event data key naming the detectors' findings in a new version, e.g. {@code pii.email@5-20}. */
    public static final String DETECTED = "detected";
    /** The event data key of a quarantined write: why it was quarantined. */
    public static final String QUARANTINED = "quarantined";
    /** Findings named in an event at most (a long text full of addresses would not fit an event). */
    static final int MAX_DETECTED = 100;

    /** Labels nothing and quarantines nothing. */
    public static Screening none() {
        return new Screening(Detectors.none(), Quarantine.off());
    }

    /** A new memory: labels, and whether it is quarantined. */
    public Verdict ofNewCube(Principal actor, Source source, String text) {
        return new Verdict(detectors.scan(text), quarantine.reason(actor, source, text));
    }

    /** A new text of an existing memory: labels only (quarantine decides at creation). */
    public Verdict ofText(String text) {
        return new Verdict(detectors.scan(text), Optional.empty());
    }

    /** What the screening found in one text. */
    public record Verdict(List<Detectors.Finding> findings, Optional<String> quarantine) {
        /** Nothing found (a change that leaves the text as it was). */
        public static final Verdict CLEAN = new Verdict(List.of(), Optional.empty());

        /** The labels a writer gave and those of the findings. */
        public Set<String> labelled(Set<String> given) {
            if (findings.isEmpty()) {
                return given;
            }
            Set<String> labels = new TreeSet<>(given == null ? Set.of() : given);
            labels.addAll(Detectors.labels(findings));
            return labels;
        }

        /** Event data with where the detectors found what (offsets and labels, never the text) and why it is held. */
        public Map<String, String> eventData(Map<String, String> data) {
            if (findings.isEmpty() && quarantine.isEmpty()) {
                return data;
            }
            Map<String, String> more = new LinkedHashMap<>(data);
            if (!findings.isEmpty()) {
                List<String> where = findings.stream().limit(MAX_DETECTED).map(Detectors.Finding::describe).toList();
                more.put(DETECTED, String.join(",", where) + (findings.size() > MAX_DETECTED
                        ? ",+" + (findings.size() - MAX_DETECTED) + " more" : ""));
            }
            quarantine.ifPresent(reason -> more.put(QUARANTINED, reason));
            return more;
        }
    }
}
