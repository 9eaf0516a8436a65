import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { addressAllowed, guardedLookup, type TargetPolicy } from './url-policy.js';

/** What one attempt got: the status (none when it never got an answer), how long it took, and why it failed. */
export interface AttemptResult {
  status: number | null;
  durationMs: number;
  error: string | null;
}

/** The most of a response body read (and then thrown away): a receiver cannot make us buffer more. */
const MAX_BODY = 64 * 1024;

/**
 * POSTs one signed body. Redirects are not followed (a 3xx is a failure): the registered URL is the
 * one that was checked. The connection goes only to an address the policy allows, checked as it
 * connects; the whole attempt, body included, is cut off at `timeoutMs`.
 */
export function postWebhook(url: string, body: string, headers: Record<string, string>, opts: { timeoutMs: number; policy: TargetPolicy; now?: () => number }): Promise<AttemptResult> {
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const target = new URL(url);
  // Node connects to an address literal without a lookup, so the guard would not see it.
  const literal = target.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) !== 0 && !addressAllowed(literal, opts.policy)) {
    return Promise.resolve({ status: null, durationMs: 0, error: `${literal} is a private, loopback or link-local address` });
  }
  return new Promise((resolve) => {
    let done = false;
    const finish = (status: number | null, error: string | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ status, durationMs: Math.round(now() - started), error });
    };
    const client = target.protocol === 'https:' ? https : http;
    const req = client.request(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'InstaInstru-Webhooks/1.0', 'content-length': Buffer.byteLength(body), ...headers },
        lookup: guardedLookup(opts.policy),
        agent: false,
      },
      (res) => {
        let read = 0;
        let text = '';
        res.on('data', (chunk: Buffer) => {
          if (read < 500) text += chunk.toString('utf8', 0, Math.min(chunk.length, 500 - read));
          read += chunk.length;
          if (read > MAX_BODY) res.destroy();
        });
        const settle = () => {
          const status = res.statusCode ?? null;
          const ok = status !== null && status >= 200 && status < 300;
          finish(status, ok ? null : `HTTP ${status}${text ? `: ${text.replace(/\s+/g, ' ').trim().slice(0, 200)}` : ''}`);
        };
        res.on('end', settle);
        res.on('close', settle);
        res.on('error', settle);
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${opts.timeoutMs / 1000} s`));
    }, opts.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => finish(null, err.code === 'EFORBIDDENTARGET' ? err.message : err.message || String(err)));
    req.end(body);
  });
}
