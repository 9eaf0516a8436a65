/**
 * A progress bar on stderr: redrawn in place on a terminal, a line every 10% otherwise (CI logs).
 */
export function progress(label: string, total: number) {
  const tty = Boolean(process.stderr.isTTY);
  const started = Date.now();
  let lastDecile = -1;
  let lastDraw = 0;
  const draw = (done: number, final = false) => {
    const share = total === 0 ? 1 : Math.min(1, done / total);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (tty) {
      if (!final && Date.now() - lastDraw < 100) return;
      lastDraw = Date.now();
      const width = 30;
      const filled = Math.round(share * width);
      process.stderr.write(`\r  ${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${done}/${total} ${seconds}s`);
      if (final) process.stderr.write('\n');
      return;
    }
    const decile = Math.floor(share * 10);
    if (decile > lastDecile || (final && lastDecile < 10)) {
      lastDecile = decile;
      process.stderr.write(`  ${label}: ${(share * 100).toFixed(0)}% (${done}/${total}, ${seconds}s)\n`);
    }
  };
  draw(0);
  return {
    /** Reports how many units are done. */
    update: (done: number) => draw(done),
    /** Draws the final state. */
    done: () => draw(total, true),
  };
}

/** A one-line status message on stderr. */
export function note(message: string): void {
  process.stderr.write(`  ${message}\n`);
}
