import type { Hooks } from '@instainstru/sdk';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const DELAY_MS = 300;

let enabled = false;

/** Spinners only when a person watches stderr, never in pipes, --json or full-screen views. */
export function enableActivity(on: boolean): void {
  enabled = on && Boolean(process.stderr.isTTY) && !process.env.CI;
}

/**
 * SDK hooks that show a spinner on stderr while any request has been waiting longer than 300 ms,
 * naming the host it waits for; it is erased before anything else is printed.
 */
export function activityHooks(stream: NodeJS.WriteStream = process.stderr): Hooks {
  let inflight = 0;
  let delay: NodeJS.Timeout | undefined;
  let ticker: NodeJS.Timeout | undefined;
  let host = '';
  const stop = () => {
    clearTimeout(delay);
    clearInterval(ticker);
    if (ticker) stream.write('\r\u001B[2K');
    delay = ticker = undefined;
  };
  return {
    onRequest: ({ url }) => {
      if (!enabled) return;
      inflight++;
      host = new URL(url).host;
      if (delay || ticker) return;
      delay = setTimeout(() => {
        let frame = 0;
        const draw = () => stream.write(`\r${FRAMES[frame++ % FRAMES.length]} Waiting for ${host}…`);
        draw();
        ticker = setInterval(draw, 80);
        ticker.unref();
      }, DELAY_MS);
      delay.unref();
    },
    onResponse: () => {
      if (!enabled) return;
      inflight = Math.max(0, inflight - 1);
      if (inflight === 0) stop();
    },
  };
}
