// A worker thread of the password hasher (platform/passwords.ts): argon2id in PHC string format
// ($argon2id$v=19$m=...,t=...,p=...$salt$hash, as the reference implementation and the argon2
// package write it), run synchronously in this thread at a lower CPU priority. Plain JavaScript,
// so that it runs as it is in a worker, under tsx, vitest or node alike.
import { argon2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';

// On Linux the nice value is per thread: this lowers only this worker, so that the event loop,
// which serves every other request, wins the CPU from password hashing whenever both want it.
try {
  setPriority(workerData?.nice ?? 5);
} catch {
  // Not allowed here (some containers): hashing still runs, only without the lower priority.
}

const b64 = (buf) => buf.toString('base64').replace(/=+$/, '');

function hash(password, { memory, passes, parallelism }) {
  const salt = randomBytes(16);
  const tag = argon2Sync('argon2id', { message: password, nonce: salt, memory, passes, parallelism, tagLength: 32 });
  return `$argon2id$v=19$m=${memory},t=${passes},p=${parallelism}$${b64(salt)}$${b64(tag)}`;
}

/** False for a mismatch or anything that is not an argon2 PHC string. */
function verify(phc, password) {
  const match = /^\$(argon2id|argon2i|argon2d)\$v=19\$([a-z0-9=,]+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(phc);
  if (!match) return false;
  const params = Object.fromEntries(match[2].split(',').map((kv) => kv.split('=')));
  const memory = Number(params.m);
  const passes = Number(params.t);
  const parallelism = Number(params.p);
  if (![memory, passes, parallelism].every(Number.isSafeInteger)) return false;
  const salt = Buffer.from(match[3], 'base64');
  const expected = Buffer.from(match[4], 'base64');
  if (expected.length < 4) return false;
  const actual = argon2Sync(match[1], { message: password, nonce: salt, memory, passes, parallelism, tagLength: expected.length });
  return timingSafeEqual(actual, expected);
}

parentPort.on('message', ({ id, op, password, phc, params }) => {
  try {
    const result = op === 'hash' ? hash(password, params) : verify(phc, password);
    parentPort.postMessage({ id, result });
  } catch (err) {
    // A malformed stored hash (bad parameters) is a mismatch; anything else is reported.
    if (op === 'verify') parentPort.postMessage({ id, result: false });
    else parentPort.postMessage({ id, error: String(err?.message ?? err) });
  }
});
