/** Request authentication (API keys) and request admission (body size). */
package dev.memos.api.auth;
