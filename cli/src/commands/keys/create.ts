import { Flags } from '@oclif/core';
import { InstruCommand } from '../../lib/base-command.js';
import { keysTable } from '../../lib/describe.js';

export default class KeysCreate extends InstruCommand {
  static override summary = 'Create an API key; its secret is shown once.';
  static override description = 'Secret keys (ii_live_...) act as you in scripts. Publishable keys (pk_live_...) only read public data, from the --origin sites you list (for the widget).';
  static override examples = [
    '<%= config.bin %> keys create --name "nightly export"',
    '<%= config.bin %> keys create --name "school site" --type publishable --origin https://school.example.com --origin https://www.school.example.com',
  ];
  static override flags = {
    name: Flags.string({ description: 'What the key is for.', default: 'instru CLI' }),
    type: Flags.option({ options: ['secret', 'publishable'] as const, default: 'secret' as const, description: 'Kind of key.' })(),
    origin: Flags.string({ description: 'Allowed origin of a publishable key (repeatable).', multiple: true }),
  };

  async run() {
    const { flags } = await this.parse(KeysCreate);
    const key = await (await this.client()).apiKeys.create({ name: flags.name, type: flags.type, ...(flags.origin ? { allowed_origins: flags.origin } : {}) });
    this.log(keysTable([key]));
    this.log('');
    this.log(`Secret: ${key.secret}`);
    this.log('Warning: this is the only time the secret is shown. Store it now (e.g. in a password manager); revoke it with `instru keys revoke <id>` if it leaks.');
    return key;
  }
}
