// `node:assert/strict` for pages and workers: assert.js in strict mode (`equal` is `strictEqual`,
// `deepEqual` is `deepStrictEqual`, and so on).

import assert from './assert.js';

const strict = assert.strict;
export default strict;
export const { ok, equal, notEqual, deepEqual, notDeepEqual, strictEqual, notStrictEqual, deepStrictEqual,
  notDeepStrictEqual, throws, doesNotThrow, rejects, doesNotReject, match, doesNotMatch, ifError,
  AssertionError } = strict;
const failFn = strict.fail;
export { failFn as fail };
export { strict };
