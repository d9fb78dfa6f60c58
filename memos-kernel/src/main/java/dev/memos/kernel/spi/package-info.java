/**
 * The back-end SPIs. Implementations live outside the kernel, in packages named after their back
 * end; one configuration key picks each.
 */
package dev.memos.kernel.spi;
