import type { Request } from 'express';

/** A query parameter as a string, or undefined when absent. */
export function queryString(req: Request, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  if (v === undefined || v === null || v === '') return undefined;
  return String(v);
}

/** An integer query parameter (already range-checked by the contract), or the default. */
export function queryInt(req: Request, name: string, fallback: number): number;
export function queryInt(req: Request, name: string): number | undefined;
export function queryInt(req: Request, name: string, fallback?: number): number | undefined {
  const v = queryString(req, name);
  return v === undefined ? fallback : Number(v);
}

/** A path parameter (Express 5 types them loosely). */
export function param(req: Request, name: string): string {
  return String((req.params as Record<string, string>)[name]);
}
