import { paginate } from '@instainstru/sdk';
import { InstruCommand } from '../../lib/base-command.js';
import { collect } from '../../lib/collect.js';
import { keysTable } from '../../lib/describe.js';

export default class KeysList extends InstruCommand {
  static override summary = 'List your active API keys (prefixes only).';
  static override examples = ['<%= config.bin %> keys list', '<%= config.bin %> keys list --json'];

  async run() {
    await this.parse(KeysList);
    const client = await this.client();
    const keys = await collect(paginate(client.apiKeys.list));
    this.log(keys.length === 0 ? 'No API keys.' : keysTable(keys));
    return { data: keys };
  }
}
