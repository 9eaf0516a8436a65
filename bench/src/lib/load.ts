import autocannon from 'autocannon';

/** What a load run reports, in the units the bars use. */
export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  /** Latency percentiles and maximum, in milliseconds. */
  p50: number;
  p99: number;
  max: number;
  status: Record<string, number>;
  ok2xx: number;
  errors: number;
  timeouts: number;
}

export type LoadOptions = autocannon.Options;

/** Runs autocannon (no progress rendering) and summarises its result. */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({ timeout: 5, ...opts });
  const status: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) status[code] = stat.count ?? 0;
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  return {
    requests: result.requests.total,
    seconds,
    rps: result.requests.total / Math.max(seconds, 0.001),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    status,
    ok2xx: result['2xx'],
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** Rounds to a sensible number of digits for tables. */
export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
