import type { NextFunction, Request, Response } from 'express';
import { AppError } from './errors.js';

/** No request body of this API nests deeper (availability days -> ranges -> range is 4). */
export const MAX_JSON_DEPTH = 16;

/**
 * Refuses, before anything reads the input (rate-limit keys read `email` before validation),
 * a NUL byte in any query or body text (PostgreSQL cannot store it, SQLite cuts strings at it)
 * and JSON nested deeper than MAX_JSON_DEPTH (recursive code such as String() of a deeply
 * nested array would overflow the stack). The walk is iterative, so it cannot overflow itself.
 */
export function inputGuard() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (/%00/.test(req.url)) throw nulError('/query');
    const bad = findBad(req.query, '/query') ?? findBad(req.body, '/body');
    if (bad?.kind === 'nul') throw nulError(bad.path);
    if (bad?.kind === 'depth') {
      throw new AppError('validation_error', `The request is invalid: ${bad.path} nests deeper than ${MAX_JSON_DEPTH} levels.`, {
        errors: [{ path: bad.path, message: `must not nest deeper than ${MAX_JSON_DEPTH} levels` }],
      });
    }
    next();
  };
}

function nulError(path: string): AppError {
  return new AppError('validation_error', `The request is invalid: ${path} contains a NUL character (\\u0000), which no text field accepts.`, {
    errors: [{ path, message: 'must not contain NUL characters' }],
  });
}

function findBad(root: unknown, rootPath: string): { kind: 'nul' | 'depth'; path: string } | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: rootPath, depth: 0 }];
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { kind: 'nul', path };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return { kind: 'depth', path };
    for (const [key, child] of Object.entries(value)) {
      if (key.includes('\u0000')) return { kind: 'nul', path };
      stack.push({ value: child, path: `${path}/${key}`, depth: depth + 1 });
    }
  }
  return undefined;
}
