#!/usr/bin/env node
// instru: oclif reads oclif.manifest.json and imports only the command that runs.
import module from 'node:module';

// Node's on-disk bytecode cache (Node >= 22.1) roughly halves loading @oclif/core on later runs.
module.enableCompileCache?.();

// Ctrl+C (or a kill) while waiting: stop quietly with the shell's code, 128 + signal (130, 143).
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));
// Output into a closed pipe (`instru bookings list | head -1`) is not an error: stop quietly with 0.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
// The update check (plugin-warn-if-update-available) asks the npm registry in the background: off unless asked for.
if (!process.env.INSTRU_UPDATE_CHECK) process.env.INSTRU_SKIP_NEW_VERSION_CHECK ??= 'true';

const { execute } = await import('@oclif/core');
await execute({ dir: import.meta.url });
