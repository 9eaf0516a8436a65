import type { Transaction } from 'sequelize';
import type { JobScheduler } from '../jobs/service.js';
import type { Mailer, MailMessage } from './mail.js';

/** Mail attempts: 30 s * 2^attempt apart (at most 1 h), about 6 hours in all. */
const MAIL_ATTEMPTS = 10;

/**
 * A mail written as the facts of a change (`data`, e.g. the booking and both people as the change
 * left them) and composed only when it is delivered, by the composer registered under `composer`
 * (templates, attachments such as an ICS file, MIME): the change's transaction renders nothing.
 */
export interface DeferredMail {
  to: string;
  composer: string;
  data: unknown;
}

type MailJob = MailMessage | DeferredMail;
const deferred = (m: MailJob): m is DeferredMail => 'composer' in m;

/**
 * Transactional outbox for mail, on the job scheduler: each message is a `mail.send` job written
 * in the same transaction as the change it announces and delivered after commit, with retries,
 * so a mail failure never blocks or loses a booking.
 */
export function mailOutbox(jobs: JobScheduler, mailer: Mailer) {
  const composers = new Map<string, (data: never) => MailMessage>();
  const message = (m: MailJob): MailMessage => {
    if (!deferred(m)) return m;
    const compose = composers.get(m.composer);
    if (!compose) throw new Error(`mail: no composer "${m.composer}"`);
    return compose(m.data as never);
  };
  // Sending holds no database connection (the batch records successes afterwards), so a batch's
  // mails all go out at once instead of taking turns with the jobs that do use the database.
  jobs.define('mail.send', async (m: MailJob) => mailer.send(message(m)), { maxAttempts: MAIL_ATTEMPTS, offDatabase: true });
  return {
    /** Registers how mails of one kind are composed at delivery (`enqueueDeferred`). */
    composer<T>(name: string, compose: (data: T) => MailMessage): void {
      composers.set(name, compose as (data: never) => MailMessage);
    },
    /**
     * Writes messages to the outbox inside the caller's transaction. With `keyOf`, each message
     * is written once per key (a job that writes mail and runs again writes none twice).
     */
    async enqueue(tx: Transaction, messages: MailMessage[], keyOf?: (m: MailMessage) => string): Promise<void> {
      const payload = (m: MailMessage) => ({ to: m.to, template: m.template, data: m.data, attachments: m.attachments ?? [] });
      if (!keyOf) return jobs.enqueueMany('mail.send', messages.map(payload), tx);
      for (const m of messages) await jobs.enqueue('mail.send', payload(m), { key: keyOf(m), tx });
    },
    /** Writes mails composed at delivery, inside the caller's transaction (with its other new jobs, in one INSERT). */
    async enqueueDeferred(tx: Transaction, mails: DeferredMail[]): Promise<void> {
      return jobs.enqueueMany('mail.send', mails.map(({ to, composer, data }) => ({ to, composer, data })), tx);
    },
    /** Delivers what is due now (after a commit); resolves when this run is done. */
    flush: (): Promise<void> => jobs.runDue(),
  };
}

export type MailOutbox = ReturnType<typeof mailOutbox>;
