// Skipped and todo tests.
import { test, describe } from 'node:test';

test.skip('not now', () => {
  throw new Error('never runs');
});

test('skips itself', (t) => {
  t.skip('no network here');
});

test.todo('someday');

describe.skip('a skipped suite', () => {
  test('inner', () => {
    throw new Error('never runs');
  });
});
