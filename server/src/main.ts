// Entry point of the language server (`citekeys-ls`): starts the LSP connection over stdio/IPC and wires it to the service.
import { startServer } from './lsp/server';

startServer();
