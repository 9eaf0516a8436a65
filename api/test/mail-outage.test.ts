// The SMTP server is down for an hour (on the test clock): booking mails wait in the outbox,
// are retried with backoff, and are each delivered exactly once after it returns.
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { call, freePort, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';

describe('SMTP server down for an hour', () => {
  let app: TestApp;
  let port: number;
  let server: SMTPServer | undefined;
  const received: string[] = [];
  const statuses = async () =>
    (await app.db.sequelize.query<{ status: string; n: number | string }>("SELECT status, COUNT(*) AS n FROM jobs WHERE name = 'mail.send' GROUP BY status", { type: QueryTypes.SELECT })).reduce<Record<string, number>>(
      (acc, r) => ({ ...acc, [r.status]: Number(r.n) }),
      {},
    );

  beforeAll(async () => {
    port = await freePort(); // nothing listens here yet: the SMTP server is "down"
    app = await startTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    await app?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('keeps every mail through the outage and delivers each once after it', async () => {
    const inst = await publishedInstructor(app, { days: [{ date: '2026-07-06', ranges: [{ start_time: '09:00', end_time: '17:00' }] }] });
    const students = await Promise.all([0, 1, 2, 3].map(() => registerUser(app, 'student')));
    for (const [k, s] of students.entries()) {
      const res = await call(app, 'POST', '/v1/bookings', { token: s.token, body: { instructor_id: inst.id, service_id: inst.serviceId, date: '2026-07-06', start_time: `1${k}:00`, duration_minutes: 60, location_type: 'online' } });
      expect(res.status).toBe(201); // a dead mail server never fails or slows a booking
    }
    await app.services.outbox.flush();
    for (let minute = 1; minute <= 60; minute++) {
      app.clock.advance(60_000);
      await app.services.outbox.flush();
    }
    expect(await statuses()).toEqual({ pending: 8 });

    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        stream.resume();
        stream.on('end', () => {
          received.push(...session.envelope.rcptTo.map((r) => r.address));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', () => resolve()));
    let minutes = 0;
    while ((await statuses()).done !== 8 && minutes < 180) {
      app.clock.advance(60_000);
      minutes++;
      await app.services.outbox.flush();
    }
    expect(await statuses()).toEqual({ done: 8 });
    // The next retry after a 60-minute outage is due within about 64 minutes of the last failure.
    expect(minutes).toBeLessThanOrEqual(65);
    const expected = [...students.map((s) => s.email), ...students.map(() => inst.email)].sort();
    expect(received.sort()).toEqual(expected);
    for (let k = 0; k < 30; k++) {
      app.clock.advance(60 * 60_000);
      await app.services.outbox.flush();
    }
    expect(received).toHaveLength(8); // and never again
  });
});
