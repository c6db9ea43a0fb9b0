// How citekeys-ls is best started: the Node flags and environment the VS Code client starts it with. The protocol
// tests and the benchmark start it the same way, so they measure the server as VS Code users run it.

/**
 * V8 lets the young generation grow to 48 MB (16 MB semi-spaces) while a large file is indexed, and keeps it. With
 * 4 MB semi-spaces the server holds about 30 MB less at 100,000 entries, and indexes and completes as fast
 * (bench/userSession.ts, `npm run bench`).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

/**
 * glibc's malloc serves a large block (a search index's arrays, a few MB) from its own mapping, and after freeing
 * one raises that threshold for good: later blocks come from the main heap, which then only grows. In the soak run
 * (bench/soak.ts) the server's malloc heap went from 22 to 55 MB over 5,000 edits; with the threshold fixed at
 * glibc's default it stays at 9 MB. Other C libraries ignore the variable.
 */
export const SERVER_ENVIRONMENT: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '131072' };
