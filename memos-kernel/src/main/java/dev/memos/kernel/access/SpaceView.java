package dev.memos.kernel.access;

/** A space as one principal sees it: with the role that principal holds. */
public record SpaceView(Space space, Role role) {
}
