import { Op, type Transaction } from 'sequelize';
import type { Logger } from 'pino';
import { jsonColumn, type Db } from './db.js';
import type { Clock } from './clock.js';
import type { Mailer, MailMessage } from './mail.js';

const MAX_ATTEMPTS = 8;
const BATCH = 20;
/** How long a claim holds: a row still `sending` after this (its sender died) is delivered again. */
const CLAIM_MS = 15 * 60_000;

/**
 * Transactional outbox for mail: messages are written in the same transaction as the change
 * they announce and delivered after commit, with retries, so a mail failure never blocks or
 * loses a booking.
 */
export function mailOutbox(db: Db, mailer: Mailer, clock: Clock, logger: Logger) {
  const { MailOutbox } = db.models;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  async function deliverDue(): Promise<void> {
    const now = clock.now();
    // Due: pending rows whose time has come, and claims that expired without a result.
    const claimable = { status: ['pending', 'sending'], next_attempt_at: { [Op.lte]: now } };
    const due = (await MailOutbox.findAll({
      where: claimable,
      order: [['created_at', 'ASC']],
      limit: BATCH,
      raw: true,
    })) as unknown as { id: string; recipient: string; template: string; data: unknown; attachments: unknown; attempts: number }[];
    for (const row of due) {
      // Claim the row (for CLAIM_MS) so another instance does not send it too.
      const [claimed] = await db.transaction((tx) =>
        MailOutbox.update({ status: 'sending', next_attempt_at: new Date(now.getTime() + CLAIM_MS) }, { where: { id: row.id, ...claimable }, transaction: tx }),
      );
      if (!claimed) continue;
      try {
        await mailer.send({ to: row.recipient, template: row.template as MailMessage['template'], data: jsonColumn(row.data), attachments: jsonColumn(row.attachments) });
        await db.transaction((tx) => MailOutbox.update({ status: 'sent', sent_at: clock.now(), attempts: row.attempts + 1 }, { where: { id: row.id }, transaction: tx }));
      } catch (err) {
        const attempts = row.attempts + 1;
        const next = new Date(clock.now().getTime() + 30_000 * 2 ** attempts);
        logger.warn({ err, mail: row.id, attempts }, 'mail delivery failed; will retry');
        await db.transaction((tx) =>
          MailOutbox.update(
            { status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending', attempts, next_attempt_at: next, last_error: String((err as Error).message ?? err).slice(0, 500) },
            { where: { id: row.id }, transaction: tx },
          ),
        );
      }
    }
    if (due.length === BATCH) again = true;
  }

  function run(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await deliverDue().catch((err) => logger.error({ err }, 'mail outbox run failed'));
      } while (again);
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    /** Writes messages to the outbox inside the caller's transaction. */
    async enqueue(tx: Transaction, messages: MailMessage[]): Promise<void> {
      const now = clock.now();
      await MailOutbox.bulkCreate(
        messages.map((m) => ({ recipient: m.to, template: m.template, data: m.data, attachments: m.attachments ?? [], status: 'pending', attempts: 0, next_attempt_at: now })),
        { transaction: tx },
      );
    },
    /** Delivers what is due now (after a commit); resolves when this run is done. */
    flush: run,
    /** Polls for due and retried messages. */
    start(intervalMs = 5_000) {
      timer ??= setInterval(() => void run(), intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

export type MailOutbox = ReturnType<typeof mailOutbox>;
