/** Everything the bench started (processes, temp dirs, databases), undone in reverse order on exit. */
const pending = new Map<number, { what: string; undo: () => Promise<void> }>();
let next = 0;

/** Registers an undo step; returns a function that forgets it (when it was undone normally). */
export function track(what: string, undo: () => Promise<void>): () => void {
  const id = next++;
  pending.set(id, { what, undo });
  return () => void pending.delete(id);
}

/** Runs every pending undo step, newest first; failures are reported, never thrown. */
export async function cleanupAll(): Promise<void> {
  const steps = [...pending.entries()].reverse();
  pending.clear();
  for (const [, { what, undo }] of steps) {
    try {
      await undo();
    } catch (err) {
      console.error(`bench: could not clean up ${what}: ${(err as Error).message}`);
    }
  }
}
