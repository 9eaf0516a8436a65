import { toConfiguredId, type Hook } from '@oclif/core';
import pluginNotFound from '@oclif/plugin-not-found';
import levenshtein from 'fast-levenshtein';
import { exitCodeOf } from '../lib/exit-codes.js';

/**
 * An unknown command. In a terminal, @oclif/plugin-not-found asks "Did you mean …?" and runs the
 * answer; in scripts it would print two lines without a suggestion, so there it is one line with
 * the closest command and the code, like every other input error (exit 2).
 */
const hook: Hook<'command_not_found'> = async function (options) {
  if (process.stdin.isTTY && process.stdout.isTTY) return pluginNotFound.call(this, options);
  const ids = options.config.commands.filter((c) => !c.hidden).map((c) => c.id);
  const closest = ids.map((id) => ({ id, distance: levenshtein.get(options.id, id) })).sort((a, b) => a.distance - b.distance)[0];
  const typed = toConfiguredId(options.id, options.config);
  const suggestion = closest && closest.distance <= Math.max(3, options.id.length / 3) ? ` Did you mean \`${options.config.bin} ${toConfiguredId(closest.id, options.config)}\`?` : '';
  const line = `"${typed}" is not an ${options.config.bin} command (command_not_found)${suggestion} See \`${options.config.bin} help\`.`;
  if (options.argv?.includes('--json')) process.stdout.write(`${JSON.stringify({ error: { code: 'command_not_found', message: line } }, null, 2)}\n`);
  process.stderr.write(`Error: ${line}\n`);
  this.exit(exitCodeOf('command_not_found'));
};

export default hook;
