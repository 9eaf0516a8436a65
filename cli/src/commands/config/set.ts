import { Args } from '@oclif/core';
import { InstruCommand } from '../../lib/base-command.js';
import { openSettings, parseApiUrl } from '../../lib/settings.js';

export default class ConfigSet extends InstruCommand {
  static override summary = 'Change a setting of the profile in use.';
  static override description = 'Keys: api-url (the InstaInstru API to talk to).';
  static override examples = ['<%= config.bin %> config set api-url http://127.0.0.1:8000', '<%= config.bin %> config set api-url https://api.instainstru.dev --profile work'];
  static override args = {
    key: Args.string({ description: 'Setting to change.', required: true, options: ['api-url'] }),
    value: Args.string({ description: 'New value.', required: true }),
  };

  async run() {
    const { args } = await this.parse(ConfigSet);
    const apiUrl = parseApiUrl(args.value, 'api-url');
    (await openSettings()).set({ apiUrl });
    this.log(`api-url=${apiUrl}`);
    return { 'api-url': apiUrl };
  }
}
