// Summarises a V8 CPU profile (BENCH_CPU_PROF=<dir> npm run bench -- --only 11): self time by package and by function.
// Usage: node bench/scripts/profile-summary.mjs <file.cpuprofile>
import { readFileSync } from 'node:fs';
const prof = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = prof.timeDeltas; let total = 0;
for (let i = 0; i < prof.samples.length; i++) { const id = prof.samples[i]; const d = dt[i] ?? 0; self.set(id, (self.get(id) ?? 0) + d); total += d; }
const fn = new Map(), pkg = new Map();
for (const [id, t] of self) {
  const n = byId.get(id); const cf = n.callFrame; const url = cf.url || '';
  const key = `${cf.functionName || '(anon)'} ${url.replace(/.*node_modules\//, 'nm/').replace(/.*\/work\/main\//, '')}:${cf.lineNumber}`;
  fn.set(key, (fn.get(key) ?? 0) + t);
  let p = url.includes('node_modules/') ? url.replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/, '$1') : url.startsWith('node:') ? 'node:' + url.slice(5).split('/')[0] : url.includes('/work/main/') ? 'app:' + url.replace(/.*\/work\/main\//, '').split('/').slice(0, 3).join('/') : (cf.functionName || '(native)');
  pkg.set(p, (pkg.get(p) ?? 0) + t);
}
const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${(100 * v / total).toFixed(1).padStart(5)}%  ${k}`).join('\n');
console.log(`total ${(total / 1e6).toFixed(1)} s sampled\n-- by package/area\n${top(pkg, 25)}\n-- by function\n${top(fn, 25)}`);
