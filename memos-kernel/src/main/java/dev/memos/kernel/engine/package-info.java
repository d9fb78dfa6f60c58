/**
 * The inference engine SPI behind the activation and parameter tiers: a model, its tokenizer, KV-state
 * snapshots of a prefix (activation memory), LoRA adapters applied per request with scales (parameter
 * memory), and generation. Implementations live outside the kernel (embedded llama.cpp, a remote server).
 */
package dev.memos.kernel.engine;
