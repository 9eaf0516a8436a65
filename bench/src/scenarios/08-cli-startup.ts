import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { round } from '../lib/load.js';
import type { ScenarioResult } from '../lib/report.js';
import { REPO } from '../lib/servers.js';

const RUNS = 10;

/** `instru --version` start-up time: median of 10 runs of `node cli/bin/run.js --version`. */
export async function cliStartup(_ctx: Context): Promise<ScenarioResult> {
  const bin = path.join(REPO, 'cli', 'bin', 'run.js');
  const base = { id: 8, title: 'CLI start-up (instru --version)' };
  if (!existsSync(bin)) {
    return {
      ...base,
      checks: [{ name: 'median of 10 runs', value: 'not available: cli/bin/run.js does not exist yet', bar: '<= 300 ms', status: 'not run', kind: 'timing' }],
      figures: { available: false },
      notes: ['The CLI is not in the repository yet; no number is reported rather than an invented one.'],
    };
  }
  const times: number[] = [];
  let output = '';
  // One untimed run first: the file system cache is warm for every measured run.
  execFileSync(process.execPath, [bin, '--version'], { cwd: REPO, timeout: 30_000 });
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    output = execFileSync(process.execPath, [bin, '--version'], { cwd: REPO, timeout: 30_000, encoding: 'utf8' }).trim();
    times.push(performance.now() - started);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = ((sorted[RUNS / 2 - 1] as number) + (sorted[RUNS / 2] as number)) / 2;
  return {
    ...base,
    checks: [{ name: 'median of 10 runs', value: `${round(median, 1)} ms (min ${round(sorted[0] as number, 1)}, max ${round(sorted[RUNS - 1] as number, 1)})`, bar: '<= 300 ms', status: median <= 300 ? 'pass' : 'fail', kind: 'timing' }],
    figures: { available: true, output, runs_ms: times.map((t) => round(t, 1)), median_ms: round(median, 1) },
    notes: [`\`node cli/bin/run.js --version\` (Node ${process.version}) run ${RUNS} times after one untimed run; wall-clock time of each process from spawn to exit, median reported.`],
  };
}
