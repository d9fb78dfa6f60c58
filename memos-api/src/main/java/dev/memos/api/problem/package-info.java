/** RFC 9457 problem documents for every error the API returns. */
package dev.memos.api.problem;
