import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { CachedEntry, ResponseCache } from './cache.js';
import { databaseFault } from './db-faults.js';

/** Clients may store public answers but revalidate them every time (the ETag makes that cheap). */
export const CACHE_CONTROL = 'public, no-cache';

/**
 * Every answer is `no-store` unless its route says otherwise: tokens, keys, accounts, bookings and
 * the errors about them must never sit in a browser or proxy cache, and denying by default keeps a
 * new endpoint from forgetting it. Public reads replace it with CACHE_CONTROL (sendEntry), the docs'
 * static assets with their max-age.
 */
export function noStoreByDefault(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  next();
}

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

/** The cache key of a public answer: namespace, its version, the time bucket and the normalized request. */
export function publicKey(ns: string, version: number, bucket: number, variant: string): string {
  return `${ns}:${version}:${bucket}:${variant}`;
}

/**
 * Remembers which raw URL (as a client sent it, already validated by the contract once) maps to
 * which cached answer, so the fast lane can serve repeats without parsing or validating again.
 */
export class PublicIndex {
  private readonly byUrl = new Map<string, { ns: string; variant: string; route: string }>();
  /** The last answer sent per namespace and request, whatever its version: served while the database is down. */
  private readonly lastGood = new Map<string, CachedEntry>();
  constructor(
    private readonly maxUrls = 100_000,
    private readonly maxLastGood = 2_000,
  ) {}

  rememberGood(ns: string, variant: string, entry: CachedEntry): void {
    const key = `${ns}\u0000${variant}`;
    this.lastGood.delete(key);
    if (this.lastGood.size >= this.maxLastGood) this.lastGood.delete(this.lastGood.keys().next().value as string);
    this.lastGood.set(key, entry);
  }

  lastGoodEntry(ns: string, variant: string): CachedEntry | undefined {
    return this.lastGood.get(`${ns}\u0000${variant}`);
  }

  remember(url: string, ns: string, variant: string, route: string): void {
    if (this.byUrl.size >= this.maxUrls) this.byUrl.clear();
    this.byUrl.set(url, { ns, variant, route });
  }

  lookup(url: string): { ns: string; variant: string; route: string } | undefined {
    return this.byUrl.get(url);
  }
}

/** Answers a public GET from the cache under the namespace's current version, computing it once on a miss. */
export async function sendCached(
  req: Request,
  res: Response,
  ctx: { cache: ResponseCache; index: PublicIndex; bucket: number },
  ns: string,
  variant: string,
  compute: () => Promise<unknown>,
): Promise<void> {
  const version = await ctx.cache.version(ns);
  const build = async () => entryOf(await compute());
  let entry: CachedEntry;
  try {
    entry = await ctx.cache.getOrCompute(publicKey(ns, version, ctx.bucket, variant), build);
  } catch (err) {
    // A write bumped the version just before the database went away: the previous answer is
    // the best there is (stale-if-error), rather than failing a public read.
    const stale = databaseFault(err) ? ctx.index.lastGoodEntry(ns, variant) : undefined;
    if (!stale) throw err;
    res.setHeader('Cache-Control', 'no-store');
    res.type('application/json').send(stale.body);
    return;
  }
  ctx.index.rememberGood(ns, variant, entry);
  ctx.cache.remember(ns, `${ctx.bucket}:${variant}`, build);
  if (!req.headers.authorization) ctx.index.remember(req.originalUrl, ns, variant, String(req.route?.path ?? 'unmatched'));
  sendEntry(req, res, entry);
}
