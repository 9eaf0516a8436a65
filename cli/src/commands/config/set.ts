import { Args } from '@oclif/core';
import { InstruCommand } from '../../lib/base-command.js';
import { openSettings } from '../../lib/settings.js';
import { CliProblem } from '../../lib/problem.js';

export default class ConfigSet extends InstruCommand {
  static override summary = 'Change a setting.';
  static override description = 'Keys: api-url (the InstaInstru API to talk to).';
  static override examples = ['<%= config.bin %> config set api-url http://127.0.0.1:8000'];
  static override args = {
    key: Args.string({ description: 'Setting to change.', required: true, options: ['api-url'] }),
    value: Args.string({ description: 'New value.', required: true }),
  };

  async run() {
    const { args } = await this.parse(ConfigSet);
    let url: URL;
    try {
      url = new URL(args.value);
    } catch {
      throw new CliProblem('invalid_input', `"${args.value}" is not a URL`, 'Use e.g. http://127.0.0.1:8000.', 2);
    }
    const apiUrl = url.toString().replace(/\/+$/, '');
    (await openSettings()).set('apiUrl', apiUrl);
    this.log(`api-url=${apiUrl}`);
    return { 'api-url': apiUrl };
  }
}
