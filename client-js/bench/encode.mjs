// Prints how long a JavaScript realm takes to encode a big result: 100,000 records of
// {i, s: 'x'.repeat(20)} (issue 16's example), whole (3.9 MB of JSON) and cut to fit one message.
// Run: node client-js/bench/encode.mjs [rounds]
import { encode, encodeWithin, LIMITS } from '../src/encode.js';

const rows = Array.from({ length: 100000 }, (_, i) => ({ i, s: 'x'.repeat(20) }));
const rounds = Number(process.argv[2] || 5);
const time = (f) => { const t = performance.now(); const r = f(); return [performance.now() - t, r]; };
const whole = [];
const cut = [];
let kept = 0;
for (let round = 0; round < rounds; round++) {
  whole.push(time(() => encode(rows, { ...LIMITS, maxEntries: LIMITS.maxNodes }))[0]);
  const [ms, tree] = time(() => encodeWithin(rows, 1000000 - 4096));
  cut.push(ms);
  kept = tree.length - 1;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(0);
console.log(`100,000 records, ${rounds} rounds: encode whole median ${median(whole)} ms;`
  + ` encodeWithin 1 MB median ${median(cut)} ms (${kept} records kept)`);
