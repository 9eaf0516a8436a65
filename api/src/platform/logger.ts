import { pino, type Logger } from 'pino';

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
