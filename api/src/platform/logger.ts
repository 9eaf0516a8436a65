import { randomUUID } from 'node:crypto';
import { pino, type Logger } from 'pino';

/** The request id: the caller's X-Request-Id when it is a sane token, else a new UUID. */
export function requestIdOf(given: string | string[] | undefined): string {
  return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
}

/** The process logger: JSON lines on stdout. */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'], remove: true },
    },
    // Asynchronous writes: a request never waits for stdout (flushed on shutdown).
    pino.destination({ dest: 1, sync: false }),
  );
}
