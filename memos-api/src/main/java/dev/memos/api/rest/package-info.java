/** REST API v1. Resources only translate between the wire and the kernel; the kernel decides. */
package dev.memos.api.rest;
