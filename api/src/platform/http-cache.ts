import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { CachedEntry, ResponseCache } from './cache.js';

const CACHE_CONTROL = 'public, no-cache';

/** Builds a cache entry: the JSON body and its strong ETag. */
export function entryOf(value: unknown): CachedEntry {
  const body = JSON.stringify(value);
  return { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
}

/** True when If-None-Match names this entry (decided on the ETag alone, whatever Cache-Control the client sent). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** Sends an entry with ETag and Cache-Control, or 304 when the client already has it. */
export function sendEntry(req: Request, res: Response, entry: CachedEntry): void {
  res.setHeader('ETag', entry.etag);
  res.setHeader('Cache-Control', CACHE_CONTROL);
  if (matchesEtag(req.get('if-none-match'), entry.etag)) {
    res.status(304).end();
    return;
  }
  res.type('application/json').send(entry.body);
}

/** Answers a public GET from the cache under the namespace's current version, computing it once on a miss. */
export async function sendCached(req: Request, res: Response, cache: ResponseCache, ns: string, variant: string, compute: () => Promise<unknown>): Promise<void> {
  const version = await cache.version(ns);
  const entry = await cache.getOrCompute(`${ns}:${version}:${variant}`, async () => entryOf(await compute()));
  sendEntry(req, res, entry);
}
