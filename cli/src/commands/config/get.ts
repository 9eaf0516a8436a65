import { Args } from '@oclif/core';
import { InstruCommand } from '../../lib/base-command.js';
import { effectiveSettings } from '../../lib/settings.js';
import { CliProblem } from '../../lib/problem.js';

const KEYS = ['api-url'] as const;

export default class ConfigGet extends InstruCommand {
  static override summary = 'Show a setting (or all of them).';
  static override description = 'Keys: api-url. INSTRU_API_URL overrides the stored value.';
  static override examples = ['<%= config.bin %> config get', '<%= config.bin %> config get api-url'];
  static override args = { key: Args.string({ description: 'Setting to show.', required: false }) };

  async run() {
    const { args } = await this.parse(ConfigGet);
    if (args.key && !(KEYS as readonly string[]).includes(args.key)) throw new CliProblem('unknown_setting', `Unknown setting "${args.key}"`, `Known: ${KEYS.join(', ')}.`);
    const settings = await effectiveSettings();
    const values = { 'api-url': settings.apiUrl };
    if (args.key) this.log(values['api-url']);
    else this.log(Object.entries(values).map(([k, v]) => `${k}=${v}`).join('\n'));
    return values;
  }
}
