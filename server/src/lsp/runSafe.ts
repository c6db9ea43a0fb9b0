// Every handler runs inside runSafe: an exception becomes a logged error and an empty answer, never a dead server.
import { noteActivity, requestEnded, requestStarted } from './activity';
import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';

export function runSafe<T>(
  connection: Connection,
  name: string,
  token: CancellationToken | undefined,
  emptyAnswer: T,
  work: () => Promise<T> | T,
): Promise<T | ResponseError<void>> {
  noteActivity();
  if (token?.isCancellationRequested) return Promise.resolve(new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled'));
  requestStarted();
  return Promise.resolve()
    .then(work)
    .finally(() => {
      noteActivity();
      requestEnded();
    })
    .then((result) => (token?.isCancellationRequested ? new ResponseError<void>(LSPErrorCodes.RequestCancelled, 'cancelled') : result))
    .catch((error: unknown) => {
      // A deliberate refusal (e.g. rename onto an existing key) goes back to the client as an error response.
      if (error instanceof ResponseError) return error as ResponseError<void>;
      const message = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
      connection.console.error(`citekeys: ${name} failed: ${message}`);
      return emptyAnswer;
    });
}
