import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';

/** Addresses a webhook may never reach: private, loopback, link-local, shared, multicast, reserved. */
const forbidden = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) forbidden.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) forbidden.addSubnet(net, bits, 'ipv6');

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** The IPv4 address inside an IPv4-mapped or -compatible IPv6 address (::ffff:127.0.0.1), if any. */
function embeddedIpv4(address: string): string | undefined {
  const m = /^::(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address) ?? /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!m) return undefined;
  if (m.length === 2) return m[1];
  const hi = parseInt(m[1]!, 16);
  const lo = parseInt(m[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Which addresses a deployment lets webhooks reach. */
export interface TargetPolicy {
  /** Development and tests: loopback targets (and plain http to them) are allowed, for local receivers. */
  allowLoopback: boolean;
}

/** True when the address is one webhooks may connect to under the policy. */
export function addressAllowed(address: string, policy: TargetPolicy): boolean {
  const v4 = embeddedIpv4(address);
  const [ip, family] = v4 ? [v4, 'ipv4' as const] : [address, isIP(address) === 6 ? ('ipv6' as const) : ('ipv4' as const)];
  if (isIP(ip) === 0) return false;
  if (policy.allowLoopback && loopback.check(ip, family)) return true;
  return !forbidden.check(ip, family);
}

/** Why a URL is refused, or null when it may be registered (before its name is resolved). */
export function urlProblem(raw: string, policy: TargetPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a valid absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must use https';
  if (url.username || url.password) return 'must not contain a user name or password';
  if (url.hash) return 'must not contain a #fragment';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host) !== 0;
  const isLoopbackName = /^localhost\.?$/i.test(host) || /\.localhost\.?$/i.test(host);
  const local = (literal && addressAllowed(host, { allowLoopback: true }) && !addressAllowed(host, { allowLoopback: false })) || isLoopbackName;
  if (url.protocol === 'http:' && !(policy.allowLoopback && local)) {
    return policy.allowLoopback ? 'must use https (plain http only to a loopback address such as http://127.0.0.1:PORT)' : 'must use https';
  }
  if (literal && !addressAllowed(host, policy)) return 'must not point at a private, loopback or link-local address';
  if (isLoopbackName && !policy.allowLoopback) return 'must not point at a private, loopback or link-local address';
  return null;
}

/** Thrown by the guarded lookup: the name resolved to an address webhooks may not reach. */
export class ForbiddenTargetError extends Error {
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, a private, loopback or link-local address`);
    this.name = 'ForbiddenTargetError';
  }
}

/**
 * A DNS lookup for http.request that refuses forbidden addresses at connect time: the address
 * checked is the address connected to, so a name that changes its answer (DNS rebinding) cannot
 * slip a private target past an earlier check.
 */
export function guardedLookup(policy: TargetPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const list = addresses as unknown as { address: string; family: number }[];
      const bad = list.find((a) => !addressAllowed(a.address, policy));
      if (bad) return callback(Object.assign(new ForbiddenTargetError(hostname, bad.address), { code: 'EFORBIDDENTARGET' }), '', 4);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 4);
      callback(null, first.address, first.family);
    });
  };
}

/** Resolves the URL's host and checks every address (at registration; delivery checks again as it connects). */
export async function resolvesSafely(raw: string, policy: TargetPolicy): Promise<string | null> {
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return null;
  return new Promise((resolve) => {
    guardedLookup(policy)(host, { all: true }, (err) => {
      if (!err) return resolve(null);
      if (err instanceof ForbiddenTargetError) return resolve('must not point at a private, loopback or link-local address (its name resolves to one)');
      resolve('has a host name that does not resolve');
    });
  });
}
