// The LSP connection: registers handlers and turns requests into calls on the workspace and features.
export function startServer(): void {
  throw new Error('not yet');
}
