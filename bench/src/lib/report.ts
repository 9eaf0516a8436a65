import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from './servers.js';

/** One checked figure of a scenario. */
export interface Check {
  /** What is measured, e.g. "req/s vs bare node:http". */
  name: string;
  /** The measured value, formatted for people. */
  value: string;
  /** The bar from quality-bars.md (or the correctness condition). */
  bar: string;
  /** pass, fail, or info (reported, no bar), or "not run" (with the reason in value). */
  status: 'pass' | 'fail' | 'info' | 'not run';
  /** Correctness checks decide the exit code of --quick; timings never do. */
  kind: 'correctness' | 'timing';
}

/** A scenario's outcome: its checks, raw figures for results.json, and notes on method. */
export interface ScenarioResult {
  id: number;
  title: string;
  checks: Check[];
  figures: Record<string, unknown>;
  notes: string[];
  seconds?: number;
}

/** Machine and run facts written next to every result. */
export function environment(mode: string) {
  return {
    date: new Date().toISOString(),
    mode,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpus: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown'}`,
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    load_average_at_start: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** The results as a fixed-width table for the terminal (and a Markdown table for the docs). */
export function table(results: ScenarioResult[], markdown = false): string {
  const rows = results.flatMap((r) => r.checks.map((c) => [`${r.id}. ${r.title}`, c.name, c.value, c.bar, c.status.toUpperCase()]));
  const head = ['scenario', 'check', 'measured', 'bar', 'result'];
  if (markdown) {
    const esc = (s: string) => s.replace(/\|/g, '\\|');
    return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
  }
  const widths = head.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => (r[i] as string).length))));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Writes docs/bench/results.md and results.json. */
export function writeReport(results: ScenarioResult[], env: ReturnType<typeof environment>, intro: string[]): string[] {
  const dir = path.join(REPO, 'docs', 'bench');
  mkdirSync(dir, { recursive: true });
  const json = path.join(dir, 'results.json');
  const md = path.join(dir, 'results.md');
  writeFileSync(json, `${JSON.stringify({ environment: env, scenarios: results }, null, 2)}\n`);
  const failed = results.flatMap((r) => r.checks).filter((c) => c.status === 'fail').length;
  const lines = [
    '# Bench results',
    '',
    'Written by `npm run bench` (see bench/README.md); never edit by hand. The bars are the',
    "project's quality bars (quality-bars.md, Speed), restated in each row.",
    '',
    `- date: ${env.date}`,
    `- machine: ${env.platform}, ${env.cpus}, ${env.memory_gb} GB RAM, load average at start ${env.load_average_at_start.join(' / ')}`,
    `- Node: ${env.node}`,
    `- checks failed: ${failed}`,
    '',
    ...intro,
    '',
    table(results, true),
    '',
    ...results.flatMap((r) => [`## ${r.id}. ${r.title}`, '', ...r.notes.map((n) => `- ${n}`), '', '```json', JSON.stringify(r.figures, null, 2), '```', '']),
  ];
  writeFileSync(md, `${lines.join('\n')}\n`);
  return [md, json];
}
