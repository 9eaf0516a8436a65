import { randomUUID } from 'node:crypto';

/** A JSON schema as openapi.yaml writes it (only the keywords the fuzzer reads). */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  minimum?: number;
  multipleOf?: number;
  minItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
}

/** Raw JSON number texts JSON.stringify cannot produce (it writes Infinity as null). */
export const RAW_NUMBERS = ['1e400', '-1e400', '1e308', '9007199254740993', '2147483648', '-0'];
const rawSentinel = (text: string) => `__raw:${text}__`;

/** Serializes a body, turning raw-number sentinels into the number texts themselves. */
export function serialize(value: unknown): string {
  return JSON.stringify(value).replace(/"__raw:([^"]+)__"/g, '$1');
}

/** JSON nested n levels deep (arrays and objects in turn). */
export const deepNest = (n: number): unknown => {
  let v: unknown = 'x';
  for (let i = 0; i < n; i++) v = i % 2 ? { a: v } : [v];
  return v;
};

/** Values no field of this API should store, each a class of the audit (types, overflow, NUL, nesting, dates, text). */
export const HOSTILE_VALUES: unknown[] = [
  ...RAW_NUMBERS.map(rawSentinel),
  -1, 0, 0.5, 1e21, 2 ** 31, Number.MAX_SAFE_INTEGER,
  '', ' ', '   \t', '\u0000', 'a\u0000b', 'x'.repeat(5000), "' OR 1=1 --", '<script>alert(1)</script>', '../../etc/passwd',
  '2026-02-30', '2026-13-01', '0000-00-00', '9999-12-31', '2026-7-1', '24:00', '25:61', '23:59', '02:30',
  'europe/berlin', 'Mars/Olympus', 'EUR', 'eur', '１２３', '🎹', '\ud800', 'null',
  '6F9619FF-8B86-D011-B42D-00C04FC964FF', '00000000-0000-0000-0000-000000000000',
  null, true, false, [], {}, [1, 2], { a: 1 }, ['a\u0000'], deepNest(40), deepNest(12),
];

/** Query parameter texts: what a URL can carry (already percent-encoded where it matters). */
export const HOSTILE_QUERY = ['1e400', '-1e400', '-1', '0', '0x10', '1.5', '99999999999999999999', '', '%00', 'a%00b', '%ff', '2026-02-30', '2026-13-01', '1900-01-01', '2999-12-31', 'x'.repeat(600), "'%20OR%201=1", '%3Cscript%3E', 'tomorrow', 'soonest', 'price', 'in_person'];

/** Path segment texts. */
export const HOSTILE_SEGMENTS = ['not-a-uuid', '%00', '..%2F..%2Fetc', 'x'.repeat(300), '2026-02-30', '-1', '0', randomUUID(), '6F9619FF-8B86-D011-B42D-00C04FC964FF'];

/** Resolves `#/components/...` references against the spec. */
export type Deref = (s: JsonSchema | undefined) => JsonSchema;

/** A plausible valid value for a schema (field names pick fixtures: ids, zones, times). */
export function sample(schema: JsonSchema | undefined, deref: Deref, name: string, fixtures: Record<string, unknown>, depth = 0): unknown {
  const s = deref(schema);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((x) => sample(x, deref, name, fixtures, depth + 1)));
  if (s.oneOf ?? s.anyOf) return sample((s.oneOf ?? s.anyOf)![0], deref, name, fixtures, depth + 1);
  if (s.enum) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  if (fixtures[name] !== undefined) return fixtures[name];
  switch (type) {
    case 'string':
      if (s.format === 'date') return '2026-07-20';
      if (s.format === 'date-time') return '2026-07-20T10:00:00Z';
      if (s.format === 'email') return `fuzz-${randomUUID().slice(0, 8)}@example.com`;
      if (s.format === 'uuid') return randomUUID();
      if (s.format === 'uri') return 'https://hooks.example.com/fuzz';
      if (s.pattern?.includes('[A-Z]{3}')) return 'EUR';
      if (s.pattern?.includes('https?')) return 'https://partner.example';
      if (s.pattern?.includes(':[0-5]')) return name.startsWith('end') ? '12:00' : '10:00';
      if (name === 'timezone') return 'Europe/Berlin';
      if (name.includes('password')) return 'a-long-password-1';
      return 'Fuzz text';
    case 'integer':
    case 'number':
      return s.multipleOf ? Math.max(s.multipleOf, Math.ceil((s.minimum ?? 0) / s.multipleOf) * s.multipleOf) * 2 : Math.max(s.minimum ?? 1, 1);
    case 'boolean':
      return true;
    case 'array':
      return depth > 6 ? [] : Array.from({ length: Math.max(1, s.minItems ?? 1) }, (_, i) => {
        const v = sample(s.items, deref, name, fixtures, depth + 1);
        return typeof v === 'number' ? v * (i + 1) : v;
      });
    case 'object':
    default: {
      if (!s.properties || depth > 6) return {};
      return Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, sample(v, deref, k, fixtures, depth + 1)]));
    }
  }
}

/** Every path to a value inside a JSON value (root included), for picking what to mutate. */
export function pathsOf(value: unknown): (string | number)[][] {
  const out: (string | number)[][] = [[]];
  const stack: { v: unknown; p: (string | number)[] }[] = [{ v: value, p: [] }];
  while (stack.length) {
    const { v, p } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    for (const [k, child] of Object.entries(v)) {
      const next = [...p, Array.isArray(v) ? Number(k) : k];
      out.push(next);
      stack.push({ v: child, p: next });
    }
  }
  return out;
}

/** A copy of value with the thing at path replaced. */
export function replaceAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (!path.length) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = replacement;
  return copy;
}
