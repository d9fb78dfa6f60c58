package dev.memos.kernel.audit;

import java.util.Optional;

/**
 * Checks an audit trail, entry by entry in order: contiguous sequence numbers, each entry's {@code prevHash} equal
 * to the hash of the one before (the first one's to the trail's anchor), each hash equal to the one its fields
 * give, and the last entry equal to the head the store keeps. A changed entry, a removed or inserted one, or a cut
 * tail is found; a rewrite of the whole trail and its head together is not (keep copies of the head elsewhere
 * to catch that: `memos audit verify` prints it).
 */
public final class AuditChain {
    private final String anchor;
    private final long firstSeq;
    private String previous;
    private long expectedSeq;
    private long checked;
    private String problem;

    /** @param anchor the prevHash of the first entry kept; {@code firstSeq} its sequence number */
    public AuditChain(String anchor, long firstSeq) {
        this.anchor = anchor;
        this.firstSeq = firstSeq;
        this.previous = anchor;
        this.expectedSeq = firstSeq;
    }

    /** Feeds the next entry; false once a problem was found. */
    public boolean accept(AuditEntry entry) {
        if (problem != null) {
            return false;
        }
        if (entry.seq() != expectedSeq) {
            problem = "entry " + expectedSeq + " is missing (next found: " + entry.seq() + ")";
        } else if (!entry.prevHash().equals(previous)) {
            problem = "entry " + entry.seq() + " does not follow the entry before it (prevHash differs)";
        } else if (!entry.hash().equals(entry.expectedHash())) {
            problem = "entry " + entry.seq() + " was changed (its hash does not match its fields)";
        } else {
            previous = entry.hash();
            expectedSeq++;
            checked++;
            return true;
        }
        return false;
    }

    /** The outcome once every entry was fed, against the head the store keeps (last sequence number and hash). */
    public Optional<String> finish(long headSeq, String headHash) {
        if (problem == null && (expectedSeq - 1 != headSeq || !previous.equals(headHash))) {
            problem = expectedSeq - 1 < headSeq ? "entries " + expectedSeq + " … " + headSeq + " are missing"
                    : "the trail does not end at its head (entry " + headSeq + ")";
        }
        return Optional.ofNullable(problem);
    }

    public long checked() {
        return checked;
    }

    public String anchor() {
        return anchor;
    }

    public long firstSeq() {
        return firstSeq;
    }
}
