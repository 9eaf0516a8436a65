import { instructorLock, noteLocked, notLocked } from '../platform/tx-locks.js';
import { Op, type Transaction } from 'sequelize';
import type { Db } from '../platform/db.js';
import { iso } from '../platform/time.js';
import type { MinuteRange } from './ranges.js';

export interface BlackoutRow {
  date: string;
  reason: string | null;
  created_at: string;
}

type Raw = Record<string, unknown>;

/** The only code that touches availability ranges and blackouts. */
export function availabilityRepository(db: Db) {
  const { AvailabilityRange, Blackout, InstructorProfile } = db.models;
  return {
    /** Serializes writes to one instructor's availability and blackouts (a row lock on PostgreSQL; SQLite writes are serialized already). */
    async lockInstructor(instructorId: string, tx: Transaction): Promise<void> {
      if (notLocked(tx, [instructorLock(instructorId)]).length === 0) return;
      await InstructorProfile.findByPk(instructorId, { attributes: ['user_id'], transaction: tx, lock: tx.LOCK.UPDATE });
      noteLocked(tx, [instructorLock(instructorId)]);
    },
    /** Ranges per date (merged, sorted) for from..to inclusive. */
    async rangesBetween(instructorId: string, from: string, to: string, tx?: Transaction): Promise<Map<string, MinuteRange[]>> {
      const rows = (await AvailabilityRange.findAll({
        where: { instructor_id: instructorId, date: { [Op.between]: [from, to] } },
        order: [['date', 'ASC'], ['start_minute', 'ASC']],
        attributes: ['date', 'start_minute', 'end_minute'],
        raw: true,
        transaction: tx,
      })) as unknown as Raw[];
      const byDate = new Map<string, MinuteRange[]>();
      for (const r of rows) {
        const date = String(r.date);
        const list = byDate.get(date) ?? [];
        list.push({ start: Number(r.start_minute), end: Number(r.end_minute) });
        byDate.set(date, list);
      }
      return byDate;
    },
    /** Replaces the ranges of each given date (an empty list clears the date). */
    async replaceDays(instructorId: string, days: Map<string, MinuteRange[]>, tx: Transaction): Promise<void> {
      const dates = [...days.keys()];
      for (let i = 0; i < dates.length; i += 500) {
        await AvailabilityRange.destroy({ where: { instructor_id: instructorId, date: dates.slice(i, i + 500) }, transaction: tx });
      }
      const rows = [...days].flatMap(([date, ranges]) =>
        ranges.map((r) => ({ instructor_id: instructorId, date, start_minute: r.start, end_minute: r.end })),
      );
      for (let i = 0; i < rows.length; i += 500) {
        await AvailabilityRange.bulkCreate(rows.slice(i, i + 500), { transaction: tx });
      }
    },
    async blackoutsBetween(instructorId: string, from: string, to: string, tx?: Transaction): Promise<Set<string>> {
      const rows = (await Blackout.findAll({
        where: { instructor_id: instructorId, date: { [Op.between]: [from, to] } },
        attributes: ['date'],
        raw: true,
        transaction: tx,
      })) as unknown as Raw[];
      return new Set(rows.map((r) => String(r.date)));
    },
    async listBlackouts(instructorId: string, opts: { from?: string; to?: string; after?: string; limit: number }): Promise<BlackoutRow[]> {
      const date: Raw = {};
      if (opts.from) date[Op.gte as unknown as string] = opts.from;
      if (opts.to) date[Op.lte as unknown as string] = opts.to;
      if (opts.after) date[Op.gt as unknown as string] = opts.after;
      const where: Raw = { instructor_id: instructorId };
      if (Object.getOwnPropertySymbols(date).length > 0 || Object.keys(date).length > 0) where.date = date;
      const rows = (await Blackout.findAll({ where, order: [['date', 'ASC']], limit: opts.limit + 1, raw: true })) as unknown as Raw[];
      return rows.map((r) => ({ date: String(r.date), reason: (r.reason as string | null) ?? null, created_at: iso(r.created_at as string) }));
    },
    async findBlackout(instructorId: string, date: string, tx: Transaction): Promise<BlackoutRow | null> {
      const r = (await Blackout.findOne({ where: { instructor_id: instructorId, date }, raw: true, transaction: tx })) as Raw | null;
      return r ? { date: String(r.date), reason: (r.reason as string | null) ?? null, created_at: iso(r.created_at as string) } : null;
    },
    async addBlackout(instructorId: string, date: string, reason: string | null, tx: Transaction): Promise<BlackoutRow> {
      const created = await Blackout.create({ instructor_id: instructorId, date, reason }, { transaction: tx });
      const r = created.get({ plain: true }) as Raw;
      return { date, reason, created_at: iso(r.created_at as Date) };
    },
    async removeBlackout(instructorId: string, date: string, tx: Transaction): Promise<void> {
      await Blackout.destroy({ where: { instructor_id: instructorId, date }, transaction: tx });
    },
  };
}

export type AvailabilityRepository = ReturnType<typeof availabilityRepository>;
