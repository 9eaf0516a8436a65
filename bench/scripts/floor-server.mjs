// The floor for the booking-writes scenario: the cheapest Node.js server that does a booking's
// database work. node:http, no framework, no auth, no validation; one POST runs the reference
// transaction shape (bench/data/pgbench-booking.sql: advisory lock, two conflict reads, booking
// insert, event insert, two outbox rows): on PostgreSQL with pg and named prepared statements on a
// pool of 10, on SQLite (DATABASE_URL=sqlite:<file>) with sqlite3, one write transaction at a time.
// With SMTP_URL set, each booking then sends two small pre-written mails through a pooled
// nodemailer transport (no templates, no ICS), answered before the mail goes out.
//
// What it reaches on a machine is the most any Node.js API on one process could do there with the
// same load generator; the scenario reports it beside the API's own figure.
//
//   DATABASE_URL=postgres://...|sqlite:/tmp/f.db PORT=4100 [SMTP_URL=smtp://...] node bench/scripts/floor-server.mjs
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import nodemailer from 'nodemailer';
import pg from 'pg';
import sqlite3 from 'sqlite3';

const mailer = process.env.SMTP_URL ? nodemailer.createTransport(process.env.SMTP_URL) : null;

const STATEMENTS = {
  lock: 'SELECT pg_advisory_xact_lock($1)',
  instructorConflict: "SELECT id FROM bookings WHERE instructor_id = $1 AND status IN ('pending','confirmed') AND start_at < $3 AND blocked_until > $2 LIMIT 1",
  studentConflict: "SELECT id FROM bookings WHERE student_id = $1 AND status IN ('pending','confirmed') AND start_at < $3 AND end_at > $2 LIMIT 1",
  insert: "INSERT INTO bookings(id, instructor_id, student_id, status, start_at, end_at, blocked_until) VALUES ($5, $1, $2, 'confirmed', $3, $4, $4) ON CONFLICT DO NOTHING RETURNING id",
  event: "INSERT INTO events(id, booking_id, type, data) VALUES ($3, $1, 'created', $2)",
  outbox: 'INSERT INTO outbox(id, recipient, data) VALUES ($5, $1, $2), ($6, $3, $4)',
};

/** PostgreSQL: a pool of 10, named prepared statements, the advisory lock of the reference shape. */
function postgres(url) {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  return {
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(async (name, values) => (await client.query({ name, text: STATEMENTS[name], values })).rows);
        await client.query(result ? 'COMMIT' : 'ROLLBACK');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** SQLite (the API's driver, sqlite3, WAL): one connection, write transactions one after another, no lock statement. */
async function sqlite(file) {
  const db = new sqlite3.Database(file);
  const run = (sql, values = []) => new Promise((resolve, reject) => db.all(sql, values, (err, rows) => (err ? reject(err) : resolve(rows))));
  for (const sql of [
    'PRAGMA journal_mode=WAL',
    'PRAGMA synchronous=NORMAL',
    'CREATE TABLE bookings(id TEXT PRIMARY KEY, instructor_id INTEGER NOT NULL, student_id INTEGER NOT NULL, status TEXT NOT NULL, start_at TEXT NOT NULL, end_at TEXT NOT NULL, blocked_until TEXT NOT NULL, note TEXT, created_at TEXT DEFAULT CURRENT_TIMESTAMP)',
    'CREATE INDEX bookings_instructor ON bookings(instructor_id, start_at)',
    'CREATE INDEX bookings_student ON bookings(student_id, start_at)',
    'CREATE TABLE outbox(id TEXT PRIMARY KEY, recipient TEXT, data TEXT, created_at TEXT DEFAULT CURRENT_TIMESTAMP)',
    'CREATE TABLE events(id TEXT PRIMARY KEY, booking_id TEXT, type TEXT, data TEXT)',
  ])
    await run(sql);
  // SQLite reads $1 as a named parameter numbered by first appearance; ?1 is the first value.
  const sqliteText = Object.fromEntries(Object.entries(STATEMENTS).map(([name, text]) => [name, text.replace(/\$(\d+)/g, '?$1')]));
  let queue = Promise.resolve();
  return {
    transaction(fn) {
      const next = queue.then(async () => {
        await run('BEGIN IMMEDIATE');
        try {
          const result = await fn((name, values) => (name === 'lock' ? [] : run(sqliteText[name], values.map((v) => (v instanceof Date ? v.toISOString() : v)))));
          await run(result ? 'COMMIT' : 'ROLLBACK');
          return result;
        } catch (err) {
          await run('ROLLBACK').catch(() => undefined);
          throw err;
        }
      });
      queue = next.catch(() => undefined);
      return next;
    },
    close: () => new Promise((resolve) => db.close(resolve)),
  };
}

const url = process.env.DATABASE_URL ?? '';
const db = url.startsWith('sqlite:') ? await sqlite(url.slice('sqlite:'.length)) : postgres(url);

function book({ instructor, student, start }) {
  const startAt = new Date(start);
  const endAt = new Date(startAt.getTime() + 30 * 60_000);
  return db.transaction(async (q) => {
    await q('lock', [instructor]);
    const a = await q('instructorConflict', [instructor, startAt, endAt]);
    const b = await q('studentConflict', [student, startAt, endAt]);
    if (a.length || b.length) return null;
    const rows = await q('insert', [instructor, student, startAt, endAt, randomUUID()]);
    const id = rows[0]?.id;
    await q('event', [id, JSON.stringify({ instructor, student }), randomUUID()]);
    await q('outbox', [`s${student}@example.test`, JSON.stringify({ id }), `i${instructor}@example.test`, JSON.stringify({ id }), randomUUID(), randomUUID()]);
    return { id, instructor, student, start_at: startAt.toISOString(), end_at: endAt.toISOString(), status: 'confirmed' };
  });
}

function sendMails(booking) {
  for (const to of [`s${booking.student}@example.test`, `i${booking.instructor}@example.test`]) {
    mailer.sendMail({ from: 'bookings@example.test', to, subject: 'Lesson booked', text: `Your lesson ${booking.id} starts at ${booking.start_at}.` }).catch((err) => console.error('mail', err.message));
  }
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    book(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      .then((booking) => {
        res.writeHead(booking ? 201 : 409, { 'content-type': 'application/json' });
        res.end(JSON.stringify(booking ?? { code: 'conflict' }));
        if (booking && mailer) sendMails(booking);
      })
      .catch((err) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 'internal', message: err.message }));
      });
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  mailer?.close();
  void db.close().then(() => process.exit(0));
});
