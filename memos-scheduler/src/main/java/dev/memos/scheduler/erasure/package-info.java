/** Completing and checking erasure requests (docs/privacy.md). */
package dev.memos.scheduler.erasure;
