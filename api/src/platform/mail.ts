import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { renderTemplate, type TemplateName } from './mail-templates.js';

/** Template names, re-exported so callers only need this module. */
export type { TemplateName } from './mail-templates.js';

/** A file attached to a mail, e.g. an ICS invite. */
export interface MailAttachment {
  filename: string;
  content: string | Buffer;
  contentType: string;
}

/** One mail to send: the recipient, the template and the data it is rendered with. */
export interface MailMessage {
  to: string;
  template: TemplateName;
  data: Record<string, unknown>;
  attachments?: MailAttachment[];
}

/** Sends templated mails. */
export interface Mailer {
  /** Renders the template and delivers it (SMTP, or an .eml file in the outbox directory). Resolves with the message id. */
  send(message: MailMessage): Promise<string>;
  /** Closes the SMTP pool, if any. */
  close(): Promise<void>;
}

/** How to deliver: `smtpUrl` for a real server, otherwise files in `outboxDir`. */
export interface MailerOptions {
  smtpUrl?: string;
  from: string;
  outboxDir: string;
}

/** Builds the mailer: SMTP when smtpUrl is set, otherwise .eml files written to outboxDir (created if missing). */
export function createMailer(options: MailerOptions): Mailer {
  return options.smtpUrl ? smtpMailer(options.smtpUrl, options.from) : outboxMailer(options.outboxDir, options.from);
}

/** Renders the message into nodemailer's options. */
function compose(from: string, message: MailMessage): SendMailOptions {
  const { subject, html, text } = renderTemplate(message.template, message.data);
  // Copy only the known fields so callers can't smuggle nodemailer options (path, href) into an attachment.
  const attachments = message.attachments?.map(({ filename, content, contentType }) => ({ filename, content, contentType }));
  return { from, to: message.to, subject, html, text, attachments };
}

/** Delivers through the SMTP server named by the URL (query options such as `pool=true` are honoured). */
function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      const info = await transport.sendMail(compose(from, message));
      return info.messageId;
    },
    async close() {
      transport.close();
    },
  };
}

/** Writes each message as an .eml file, for development and tests without a mail server. */
function outboxMailer(outboxDir: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const info = await transport.sendMail(compose(from, message));
      if (!Buffer.isBuffer(info.message)) throw new Error('mail: stream transport did not return a buffer');
      // Created on every send so a directory removed while running is recreated rather than failing.
      await mkdir(outboxDir, { recursive: true, mode: 0o700 });
      const stamp = new Date().toISOString().replaceAll(':', '-');
      const file = `${stamp}-${message.template}-${randomBytes(3).toString('hex')}.eml`;
      // Mails hold reset tokens and personal data: owner-only.
      await writeFile(join(outboxDir, file), info.message, { flag: 'wx', mode: 0o600 });
      return info.messageId;
    },
    async close() {},
  };
}
