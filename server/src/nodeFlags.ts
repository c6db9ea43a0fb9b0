// The Node flags citekeys-ls runs with: the VS Code client starts it with them, and so do the protocol tests and the
// benchmark, which measure the server as VS Code starts it.

/**
 * V8 lets the young generation grow to 48 MB (16 MB semi-spaces) while a large file is indexed, and keeps it. With
 * 4 MB semi-spaces the server holds about 30 MB less at 100,000 entries, and indexes and completes as fast
 * (bench/userSession.ts, `npm run bench`).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
