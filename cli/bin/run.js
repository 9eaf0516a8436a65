#!/usr/bin/env node
// instru: oclif reads oclif.manifest.json and imports only the command that runs.
import module from 'node:module';

// Node's on-disk bytecode cache (Node >= 22.1) roughly halves loading @oclif/core on later runs.
module.enableCompileCache?.();
const { execute } = await import('@oclif/core');
await execute({ dir: import.meta.url });
