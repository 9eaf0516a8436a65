import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

/** The terminal's width, updated on resize (so the layout is redrawn to fit, never wrapped). */
export function useColumns(fixed?: number): number {
  const { stdout: stream } = useStdout();
  // ink types stdout as a plain stream; in a terminal (and ink-testing-library) it has `columns`.
  const stdout = stream as NodeJS.WriteStream;
  const [columns, setColumns] = useState(fixed ?? (stdout.columns || 80));
  useEffect(() => {
    if (fixed !== undefined) return undefined;
    const onResize = () => setColumns(stdout.columns || 80);
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout, fixed]);
  return fixed ?? columns;
}

/** NO_COLOR (https://no-color.org): no colours, no inverse; markers like `>` carry the meaning. */
export const plain = (): boolean => Boolean(process.env.NO_COLOR);

/** Thrown through ink's exit() on Ctrl+C, so the command exits 130 like everywhere else. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
}
