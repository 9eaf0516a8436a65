import type { Transaction } from 'sequelize';
import type { JobScheduler } from '../jobs/service.js';
import type { Mailer, MailMessage } from './mail.js';

/** Mail attempts: 30 s * 2^attempt apart (at most 1 h), about 6 hours in all. */
const MAIL_ATTEMPTS = 10;

/**
 * Transactional outbox for mail, on the job scheduler: each message is a `mail.send` job written
 * in the same transaction as the change it announces and delivered after commit, with retries,
 * so a mail failure never blocks or loses a booking.
 */
export function mailOutbox(jobs: JobScheduler, mailer: Mailer) {
  // Sending holds no database connection (the batch records successes afterwards), so a batch's
  // mails all go out at once instead of taking turns with the jobs that do use the database.
  jobs.define('mail.send', async (message: MailMessage) => mailer.send(message), { maxAttempts: MAIL_ATTEMPTS, offDatabase: true });
  return {
    /**
     * Writes messages to the outbox inside the caller's transaction. With `keyOf`, each message
     * is written once per key (a job that writes mail and runs again writes none twice).
     */
    async enqueue(tx: Transaction, messages: MailMessage[], keyOf?: (m: MailMessage) => string): Promise<void> {
      const payload = (m: MailMessage) => ({ to: m.to, template: m.template, data: m.data, attachments: m.attachments ?? [] });
      if (!keyOf) return jobs.enqueueMany('mail.send', messages.map(payload), tx);
      for (const m of messages) await jobs.enqueue('mail.send', payload(m), { key: keyOf(m), tx });
    },
    /** Delivers what is due now (after a commit); resolves when this run is done. */
    flush: (): Promise<void> => jobs.runDue(),
  };
}

export type MailOutbox = ReturnType<typeof mailOutbox>;
