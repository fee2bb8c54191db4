// Does not parse: one failing test for the file, the other files still run.
import { test } from 'node:test';

test('never declared', () => {
  const x = ;
});
