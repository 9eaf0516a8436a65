import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from './mail.js';
import { TEMPLATE_NAMES, renderTemplate, type TemplateName } from './mail-templates.js';

const FROM = 'InstaInstru <no-reply@instainstru.test>';
// A query string on purpose: '=' is entity-escaped inside HTML, which the assertions account for.
const RESET_URL = 'https://app.instainstru.test/reset-password?token=tok_abc123&source=mail';

const resetData = {
  full_name: 'Ada <script>alert(1)</script> Lovelace',
  reset_url: RESET_URL,
  token: 'tok_abc123',
  expires_minutes: 30,
};

const bookingData = {
  recipient_name: 'Ada Lovelace',
  other_party_name: 'Grace Hopper',
  role: 'student',
  skill: 'Piano',
  date_label: 'Monday, 3 March 2031',
  time_label: '14:00–15:00',
  timezone: 'Europe/Berlin',
  duration_minutes: 60,
  location_type: 'online',
  price_label: '€45.00',
  booking_id: 'bk_0001',
  reason: 'Instructor is ill',
  previous_label: 'Sunday, 2 March 2031, 10:00–11:00',
};

const sampleData: Record<TemplateName, Record<string, unknown>> = {
  'password-reset': resetData,
  'booking-confirmed': bookingData,
  'booking-cancelled': bookingData,
  'booking-rescheduled': bookingData,
  'payment-action-required': { ...bookingData, fix_url: 'https://app.instainstru.test/bookings/bk_0001/payment', deadline_label: 'Sunday, 2 March 2031, 14:00' },
  'lesson-reminder': { ...bookingData, lead_time: 'in 1 hour' },
  'lesson-reminder-de': { ...bookingData, lead_time: 'in 1 Stunde' },
  'webhook-disabled': { recipient_name: 'Grace Hopper', url: 'https://hooks.example.com/in', webhook_id: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d', gone: false },
};

const ICS = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//InstaInstru//EN\r\nEND:VCALENDAR\r\n';

describe('SMTP delivery', () => {
  const received: { rcptTo: string[]; raw: Buffer }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        received.push({ rcptTo: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        callback();
      });
    },
  });
  let port = 0;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(resolve));
  });

  it('delivers subject, escaped HTML, literal text and an ICS attachment', async () => {
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: FROM, outboxDir: '/nonexistent' });
    try {
      const id = await mailer.send({
        to: 'ada@example.test',
        template: 'password-reset',
        data: resetData,
        attachments: [{ filename: 'lesson.ics', content: ICS, contentType: 'text/calendar' }],
      });
      expect(id).toMatch(/^<.+@.+>$/);
    } finally {
      await mailer.close();
    }

    expect(received).toHaveLength(1);
    const [delivery] = received;
    expect(delivery?.rcptTo).toEqual(['ada@example.test']);
    const mail = await simpleParser(delivery!.raw);
    expect(mail.subject).toBe('Reset your InstaInstru password');
    expect(mail.from?.text).toContain('no-reply@instainstru.test');

    const html = mail.html || '';
    expect(html).toContain(`href="${Handlebars.escapeExpression(RESET_URL)}"`);
    expect(html).toContain('Ada &lt;script&gt;alert(1)&lt;/script&gt; Lovelace');
    expect(html).not.toContain('<script>');
    expect(html).toContain('InstaInstru'); // the layout wrapped the body

    expect(mail.text).toContain(RESET_URL);
    expect(mail.text).toContain('Ada <script>alert(1)</script> Lovelace');
    expect(mail.text).toContain('30 minutes');
    expect(mail.text).toContain('tok_abc123');

    const ics = mail.attachments.find((a) => a.contentType === 'text/calendar');
    expect(ics?.filename).toBe('lesson.ics');
    expect(ics?.content.toString('utf8')).toBe(ICS);
  });
});

describe('outbox delivery', () => {
  let root = '';
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('writes one .eml file into a directory it creates', async () => {
    root = await mkdtemp(join(tmpdir(), 'instainstru-mail-'));
    const outboxDir = join(root, 'nested', 'outbox');
    const mailer = createMailer({ from: FROM, outboxDir });

    const id = await mailer.send({ to: 'grace@example.test', template: 'booking-confirmed', data: bookingData });
    await mailer.close();

    const files = await readdir(outboxDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-booking-confirmed-[0-9a-f]{6}\.eml$/);
    const raw = await readFile(join(outboxDir, files[0]!), 'utf8');
    expect(raw).toContain('Subject: Lesson confirmed: Piano with Grace Hopper on Monday, 3 March 2031');
    expect(raw).toContain('To: grace@example.test');
    expect(raw).toContain(`Message-ID: ${id}`);
    expect(raw).not.toContain('\r\n');
  });
});

describe('templates', () => {
  for (const name of TEMPLATE_NAMES) {
    for (const role of ['student', 'instructor']) {
      it(`${name} renders for a ${role} without leftovers`, () => {
        const { subject, html, text } = renderTemplate(name, { ...sampleData[name], role });
        expect(subject).not.toMatch(/\n|^$/);
        for (const part of [subject, html, text]) {
          expect(part).not.toContain('{{');
          expect(part).not.toContain('}}');
          expect(part).not.toContain('undefined');
        }
        expect(html).toMatch(/^<!DOCTYPE html>/);
      });
    }
  }

  it('addresses the recipient according to their role', () => {
    const student = renderTemplate('booking-confirmed', bookingData);
    const instructor = renderTemplate('booking-confirmed', { ...bookingData, role: 'instructor' });
    expect(student.text).toContain('Your lesson with Grace Hopper');
    expect(instructor.text).toContain('New lesson with Grace Hopper');
    expect(instructor.subject).toMatch(/^New booking:/);
  });

  it('shows the cancellation reason and the previous time only when given', () => {
    expect(renderTemplate('booking-cancelled', bookingData).text).toContain('Reason: Instructor is ill');
    expect(renderTemplate('booking-cancelled', { ...bookingData, reason: undefined }).text).not.toContain('Reason');
    expect(renderTemplate('booking-rescheduled', bookingData).text).toContain('Was:        Sunday, 2 March 2031');
    expect(renderTemplate('booking-rescheduled', { ...bookingData, previous_label: undefined }).html).not.toContain('>Was<');
  });
});
