import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

interface ParamSpec {
  name: string;
  in: string;
  schema?: { type?: string; format?: string; $ref?: string };
}

/** What the guard checks on one operation, read once from the contract. */
export interface OperationRules {
  /** Integer query parameters: the validator's type coercion lets `1e400` through as Infinity. */
  integerQuery: string[];
  /** Date query parameters, checked like availability's (`invalid_date`, `from` not after `to`). */
  dateQuery: string[];
  /** Top-level body fields holding UUIDs, matched case-insensitively like path ids. */
  uuidBody: string[];
}

/** One path of openapi.yaml: its pattern, which segments are UUIDs, and its operations. */
export interface PathRoute {
  template: string;
  pattern: RegExp;
  /** Indexes (in the split path) of segments declared `format: uuid`. */
  uuidSegments: number[];
  operations: Map<string, OperationRules>;
  /** The `Allow` header: the path's methods, HEAD wherever GET is, and OPTIONS. */
  allow: string;
}

type Spec = { paths: Record<string, Record<string, unknown>>; components: { parameters?: Record<string, ParamSpec>; schemas?: Record<string, Record<string, unknown>> } };

/** The operation table of the contract, for the checks the request validator cannot make. */
export class SpecRoutes {
  private constructor(private readonly routes: PathRoute[]) {}

  /** Reads openapi.yaml once. */
  static load(specPath: string): SpecRoutes {
    const spec = parse(readFileSync(specPath, 'utf8')) as Spec;
    const deref = <T>(x: unknown): T => {
      const ref = (x as { $ref?: string } | undefined)?.$ref;
      if (!ref) return x as T;
      const [, , kind, name] = ref.split('/');
      return (spec.components as Record<string, Record<string, unknown>>)[kind!]![name!] as T;
    };
    const routes = Object.entries(spec.paths).map(([template, item]) => {
      const shared = ((item.parameters as unknown[]) ?? []).map((p) => deref<ParamSpec>(p));
      const operations = new Map<string, OperationRules>();
      const pathParams = new Map<string, ParamSpec>();
      for (const method of METHODS) {
        const op = item[method] as { parameters?: unknown[]; requestBody?: { content?: Record<string, { schema?: unknown }> } } | undefined;
        if (!op) continue;
        const params = [...shared, ...(op.parameters ?? []).map((p) => deref<ParamSpec>(p))];
        const schemaOf = (p: ParamSpec) => deref<{ type?: string; format?: string }>(p.schema ?? {});
        for (const p of params) if (p.in === 'path') pathParams.set(p.name, p);
        const query = params.filter((p) => p.in === 'query');
        const body = deref<{ properties?: Record<string, unknown> }>(op.requestBody?.content?.['application/json']?.schema ?? {});
        operations.set(method.toUpperCase(), {
          integerQuery: query.filter((p) => schemaOf(p).type === 'integer').map((p) => p.name),
          dateQuery: query.filter((p) => schemaOf(p).format === 'date').map((p) => p.name),
          uuidBody: Object.entries(body.properties ?? {})
            .filter(([, s]) => deref<{ format?: string }>(s).format === 'uuid')
            .map(([name]) => name),
        });
      }
      const segments = template.split('/');
      const uuidSegments = segments.flatMap((s, i) => {
        const name = /^\{(\w+)\}$/.exec(s)?.[1];
        const p = name ? pathParams.get(name) : undefined;
        return p && deref<{ format?: string }>(p.schema ?? {}).format === 'uuid' ? [i] : [];
      });
      // A parameter may fill a whole segment (`{id}`) or part of one (`{token}.ics`).
      const escape = (part: string) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const source = segments.map((s) => s.split(/(\{\w+\})/).map((part) => (/^\{\w+\}$/.test(part) ? '[^/]+' : escape(part))).join('')).join('/');
      const methods = [...operations.keys()];
      if (operations.has('GET')) methods.push('HEAD');
      methods.push('OPTIONS');
      return { template, pattern: new RegExp(`^${source}/?$`), uuidSegments, operations, allow: methods.join(', '), params: uuidSegments.length + (template.match(/\{/g)?.length ?? 0) };
    });
    // Literal paths win over templated ones (`/availability/copy-week` before `/availability/{date}`).
    routes.sort((a, b) => a.params - b.params);
    return new SpecRoutes(routes);
  }

  /** The contract's path for a request path, if any. */
  match(path: string): PathRoute | undefined {
    return this.routes.find((r) => r.pattern.test(path));
  }

  /** Every path of the contract (for tests that walk them all). */
  all(): readonly PathRoute[] {
    return this.routes;
  }
}
