import { Args } from '@oclif/core';
import { InstruCommand } from '../../lib/base-command.js';

export default class KeysRevoke extends InstruCommand {
  static override summary = 'Revoke an API key; it stops working at once.';
  static override examples = ['<%= config.bin %> keys revoke 5b2a...'];
  static override args = { id: Args.string({ description: 'Key id (see `instru keys list`).', required: true }) };

  async run() {
    const { args } = await this.parse(KeysRevoke);
    await (await this.client()).apiKeys.revoke({ key_id: args.id });
    this.log(`Revoked key ${args.id}.`);
    return { id: args.id, revoked: true };
  }
}
