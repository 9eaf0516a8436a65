import { Args } from '@oclif/core';
import { paginate } from '@instainstru/sdk';
import { InstruCommand } from '../../lib/base-command.js';
import { changeFlags, confirmChange } from '../../lib/confirm.js';

export default class KeysRevoke extends InstruCommand {
  static override summary = 'Revoke an API key; it stops working at once.';
  static override description = 'Shows the key and asks first (--yes skips the question, --dry-run only shows it).';
  static override examples = ['<%= config.bin %> keys revoke 5b2a...', '<%= config.bin %> keys revoke 5b2a... --yes'];
  static override args = { id: Args.string({ description: 'Key id (see `instru keys list`).', required: true }) };
  static override flags = changeFlags;

  async run() {
    const { args, flags } = await this.parse(KeysRevoke);
    const client = await this.client();
    let described = `the key ${args.id}`;
    for await (const k of paginate(client.apiKeys.list)) if (k.id === args.id) described = `the ${k.type} key "${k.name}" (${k.prefix}…)`;
    const change = { summary: `Revokes ${described}: whatever uses it stops working at once.` };
    if (!(await confirmChange((t) => this.log(t), { ...flags, json: this.jsonEnabled() }, change))) return { dry_run: true, change };
    await client.apiKeys.revoke({ key_id: args.id });
    this.log(`Revoked key ${args.id}.`);
    return { id: args.id, revoked: true };
  }
}
