import { paginate } from '@instainstru/sdk';
import { InstruCommand } from '../../lib/base-command.js';
import { collect } from '../../lib/collect.js';
import { keyColumns } from '../../lib/describe.js';
import { outputFlags, printRows } from '../../lib/output.js';

export default class KeysList extends InstruCommand {
  static override summary = 'List your active API keys (prefixes only).';
  static override examples = ['<%= config.bin %> keys list', '<%= config.bin %> keys list --columns name,last-used', '<%= config.bin %> keys list --json'];
  static override flags = outputFlags;

  async run() {
    const { flags } = await this.parse(KeysList);
    const client = await this.client();
    const keys = await collect(paginate(client.apiKeys.list));
    printRows((t) => this.log(t), keys, keyColumns, flags, 'No API keys.');
    return { data: keys };
  }
}
