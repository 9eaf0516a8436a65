import { Flags } from '@oclif/core';
import { InstruCommand } from '../../lib/base-command.js';
import { cardColumns } from '../../lib/describe.js';
import { outputFlags, printRows } from '../../lib/output.js';

export default class PaymentsMethods extends InstruCommand {
  static override summary = 'List your saved cards, or save one with --add.';
  static override description =
    'Paid lessons are charged to your default card (held at booking, captured after the lesson). Without Stripe keys the API runs an offline processor that takes Stripe\'s test ids: pm_card_visa succeeds, pm_card_chargeDeclined is declined, pm_card_authenticationRequired needs 3-D Secure.';
  static override examples = [
    '<%= config.bin %> payments methods',
    '<%= config.bin %> payments methods --add pm_card_visa',
    '<%= config.bin %> payments methods --add pm_1Q0PsIJvEtkwdCNYMSaVuRz6 --default',
    '<%= config.bin %> payments methods --remove pm_off_3b1f0c9a2d4e5f6a7b8c9d0e',
    '<%= config.bin %> payments methods --json',
  ];
  static override flags = {
    add: Flags.string({ description: 'Save this payment method (a Stripe PaymentMethod id, or a Stripe test id on the offline processor).', exclusive: ['remove'] }),
    default: Flags.boolean({ description: 'With --add: make it the default card.', dependsOn: ['add'] }),
    remove: Flags.string({ description: 'Remove the saved card with this id.', exclusive: ['add'] }),
    ...outputFlags,
  };

  async run() {
    const { flags } = await this.parse(PaymentsMethods);
    const client = await this.client();
    if (flags.add) await client.paymentMethods.add({ payment_method: flags.add, ...(flags.default ? { default: true } : {}) });
    if (flags.remove) await client.paymentMethods.remove({ payment_method_id: flags.remove });
    const { data } = await client.paymentMethods.list();
    printRows((t) => this.log(t), data, cardColumns, flags, 'No saved cards. Save one with --add.');
    return { data };
  }
}
