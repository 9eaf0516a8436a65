import { DataTypes, QueryTypes, type QueryInterface } from 'sequelize';
import { randomUUID } from 'node:crypto';

/**
 * The durable job scheduler's table. Mail moves onto it: undelivered rows of the old
 * mail_outbox become `mail.send` jobs (sent ones are history and stay as done jobs), then the
 * old table goes.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('jobs', {
    id: { type: DataTypes.UUID, primaryKey: true, allowNull: false },
    name: { type: DataTypes.STRING(64), allowNull: false },
    key: { type: DataTypes.STRING(200), allowNull: true, unique: true },
    payload: { type: DataTypes.JSON, allowNull: false },
    status: { type: DataTypes.STRING(16), allowNull: false },
    run_at: { type: DataTypes.DATE, allowNull: false },
    attempts: { type: DataTypes.INTEGER, allowNull: false },
    max_attempts: { type: DataTypes.INTEGER, allowNull: false },
    locked_until: { type: DataTypes.DATE, allowNull: true },
    lease_token: { type: DataTypes.UUID, allowNull: true },
    last_error: { type: DataTypes.TEXT, allowNull: true },
    finished_at: { type: DataTypes.DATE, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('jobs', ['status', 'run_at']);
  await qi.addIndex('jobs', ['name', 'status']);

  type Mail = { recipient: string; template: string; data: unknown; attachments: unknown; status: string; attempts: number; next_attempt_at: Date | string; last_error: string | null; sent_at: Date | string | null; created_at: Date | string };
  const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
  const mails = await qi.sequelize.query<Mail>('SELECT * FROM mail_outbox', { type: QueryTypes.SELECT });
  const rows = mails.map((m) => ({
    id: randomUUID(),
    name: 'mail.send',
    key: null,
    payload: JSON.stringify({ to: m.recipient, template: m.template, data: json(m.data), attachments: json(m.attachments) }),
    status: m.status === 'sent' ? 'done' : m.status === 'failed' ? 'failed' : 'pending',
    run_at: new Date(m.next_attempt_at),
    attempts: m.attempts,
    max_attempts: 10,
    last_error: m.last_error,
    finished_at: m.sent_at ? new Date(m.sent_at) : null,
    created_at: new Date(m.created_at),
    updated_at: new Date(m.created_at),
  }));
  for (let i = 0; i < rows.length; i += 500) await qi.bulkInsert('jobs', rows.slice(i, i + 500));
  await qi.dropTable('mail_outbox');
}
