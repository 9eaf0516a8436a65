/** One sample of the Prometheus exposition text: name, labels and value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Reads `/metrics` (served to loopback without a token) and parses it. */
export async function scrape(baseUrl: string): Promise<Sample[]> {
  // /metrics is an ops endpoint outside the SDK's contract, so it is read with plain fetch.
  const res = await fetch(`${baseUrl}/metrics`);
  if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
  return parse(await res.text());
}

/** Parses the Prometheus text format (enough of it for counters and histograms). */
export function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key as string] = value as string;
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of every sample of a metric whose labels include the given ones. */
export function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** Cache hits and misses (cache_events_total). */
export function cacheEvents(samples: Sample[]): { hit: number; miss: number; redisError: number } {
  return {
    hit: total(samples, 'cache_events_total', { event: 'hit' }),
    miss: total(samples, 'cache_events_total', { event: 'miss' }),
    redisError: total(samples, 'cache_events_total', { event: 'redis_error' }),
  };
}

/** Calls of every instrumented service method (service_method_duration_seconds_count), by "service.method". */
export function serviceCalls(samples: Sample[]): Map<string, number> {
  const calls = new Map<string, number>();
  for (const s of samples) {
    if (s.name !== 'service_method_duration_seconds_count') continue;
    const key = `${s.labels.service}.${s.labels.method}`;
    calls.set(key, (calls.get(key) ?? 0) + s.value);
  }
  return calls;
}
