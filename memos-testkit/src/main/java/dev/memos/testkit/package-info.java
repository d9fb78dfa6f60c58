/**
 * Test-only support: the contract suites every back end must pass, an in-memory reference
 * backend, and (later) launchers for real servers. Never a compile dependency of a shipped module.
 */
package dev.memos.testkit;
