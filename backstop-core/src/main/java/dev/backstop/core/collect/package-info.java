/** Helpers for the primitive collections the engine keeps its working state in. */
package dev.backstop.core.collect;
