/**
 * The event bus (in-process and Kafka), the outbox relay, Kafka ingestion and the scheduler that
 * applies tier policies (promotion, demotion, TTL, consolidation). The foundation writes every
 * change to the outbox table; the relay and consumers that read it arrive with the event-bus issue.
 */
package dev.memos.scheduler;
