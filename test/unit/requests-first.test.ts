// A diagnostics pass lets requests that are being answered finish first (afterRequests): events, not timings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { afterRequests, requestEnded, requestStarted } from '../../server/src/lsp/activity';

test('afterRequests waits for the requests being answered to end', async () => {
  const order: string[] = [];
  requestStarted();
  requestStarted();
  const waited = afterRequests(60_000).then(() => order.push('pass'));
  await new Promise((resolve) => setImmediate(resolve));
  order.push('first answered');
  requestEnded();
  await new Promise((resolve) => setImmediate(resolve));
  order.push('second answered');
  requestEnded();
  await waited;
  assert.deepEqual(order, ['first answered', 'second answered', 'pass']);
});

test('afterRequests lets a request that arrives with the change start first', async () => {
  const order: string[] = [];
  // The protocol library hands over one message per turn: the request's turn was queued when the change was handled,
  // before the pass's timer fired.
  setImmediate(() => {
    requestStarted();
    order.push('request started');
    setTimeout(() => {
      order.push('request answered');
      requestEnded();
    }, 5);
  });
  const waited = afterRequests(60_000).then(() => order.push('pass'));
  await waited;
  assert.deepEqual(order, ['request started', 'request answered', 'pass']);
});

test('afterRequests does not wait longer than it is told for a request that never ends', async () => {
  requestStarted();
  let done = false;
  const waited = afterRequests(20).then(() => (done = true));
  await waited;
  assert.equal(done, true);
  requestEnded();
});
