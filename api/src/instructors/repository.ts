import { instructorLock, noteLocked } from '../platform/tx-locks.js';
import { Op, QueryTypes, type Transaction } from 'sequelize';
import { jsonColumn, type Db } from '../platform/db.js';
import { iso } from '../platform/time.js';
import type { PolicyTier } from '../payments/policy.js';

export interface ProfileRow {
  user_id: string;
  bio: string;
  timezone: string;
  min_advance_hours: number;
  buffer_minutes: number;
  service_areas: string[];
  published: boolean;
  /** null: the platform's default policy. */
  cancellation_policy: PolicyTier[] | null;
  /** null: NO_SHOW_FEE_PERCENT. */
  no_show_fee_percent: number | null;
  updated_at: string;
}
export interface ServiceRow {
  id: string;
  instructor_id: string;
  skill: string;
  hourly_rate: number;
  currency: string;
  durations: number[];
  location_types: string[];
  description: string;
  active: boolean;
  created_at: string;
}
export type ProfileInput = Partial<Omit<ProfileRow, 'user_id' | 'updated_at'>>;
export type ServiceInput = Omit<ServiceRow, 'id' | 'instructor_id' | 'created_at'>;

type Raw = Record<string, unknown>;

/** '|berlin|mitte|': areas normalized for exact, case-insensitive matching with LIKE on any database. */
export function areaKeys(areas: string[]): string {
  return `|${areas.map(normalizeArea).join('|')}|`;
}

/** How an area name is compared in search. */
export function normalizeArea(area: string): string {
  return area.normalize('NFC').trim().toLowerCase().replace(/\|/g, ' ');
}

function toProfile(r: Raw): ProfileRow {
  return {
    user_id: r.user_id as string,
    bio: r.bio as string,
    timezone: r.timezone as string,
    min_advance_hours: Number(r.min_advance_hours),
    buffer_minutes: Number(r.buffer_minutes),
    service_areas: jsonColumn<string[]>(r.service_areas),
    published: Boolean(r.published),
    cancellation_policy: r.cancellation_policy ? jsonColumn<PolicyTier[]>(r.cancellation_policy) : null,
    no_show_fee_percent: r.no_show_fee_percent === null || r.no_show_fee_percent === undefined ? null : Number(r.no_show_fee_percent),
    updated_at: iso(r.updated_at as string),
  };
}

/** A service row as plain data. */
export function toService(r: Raw): ServiceRow {
  return {
    id: r.id as string,
    instructor_id: r.instructor_id as string,
    skill: r.skill as string,
    hourly_rate: Number(r.hourly_rate),
    currency: r.currency as string,
    durations: jsonColumn<number[]>(r.durations),
    location_types: jsonColumn<string[]>(r.location_types),
    description: r.description as string,
    active: Boolean(r.active),
    created_at: iso(r.created_at as string),
  };
}

/** The only code that touches instructor profiles and services. */
export function instructorRepository(db: Db) {
  const { InstructorProfile, Service } = db.models;
  return {
    async createProfile(userId: string, timezone: string, tx: Transaction): Promise<void> {
      await InstructorProfile.create(
        { user_id: userId, timezone, bio: '', service_areas: [], area_keys: '|', published: false, min_advance_hours: 2, buffer_minutes: 0 },
        { transaction: tx },
      );
    },
    async findProfile(userId: string, tx?: Transaction): Promise<ProfileRow | null> {
      const r = await InstructorProfile.findByPk(userId, { raw: true, transaction: tx });
      return r ? toProfile(r as unknown as Raw) : null;
    },
    async updateProfile(userId: string, changes: ProfileInput, tx: Transaction): Promise<void> {
      const values: Raw = { ...changes };
      if (changes.service_areas) values.area_keys = areaKeys(changes.service_areas);
      await InstructorProfile.update(values, { where: { user_id: userId }, transaction: tx });
    },
    async listServices(instructorId: string, opts: { activeOnly?: boolean; afterId?: { created_at: string; id: string }; limit?: number } = {}): Promise<ServiceRow[]> {
      const where: Raw = { instructor_id: instructorId };
      if (opts.activeOnly) where.active = true;
      if (opts.afterId) {
        Object.assign(where, {
          [Op.or]: [
            { created_at: { [Op.gt]: new Date(opts.afterId.created_at) } },
            { created_at: new Date(opts.afterId.created_at), id: { [Op.gt]: opts.afterId.id } },
          ],
        });
      }
      const rows = await Service.findAll({ where, order: [['created_at', 'ASC'], ['id', 'ASC']], limit: opts.limit, raw: true });
      return rows.map((r) => toService(r as unknown as Raw));
    },
    /**
     * The instructor's profile, locked for the transaction (the instructor's write lock, as
     * availability's lockInstructor takes it), and one of their services, in one query: the start of a booking.
     */
    async findProfileWithService(instructorId: string, serviceId: string, tx: Transaction): Promise<{ profile: ProfileRow | null; service: ServiceRow | null }> {
      const lock = db.dialect === 'postgres' ? ' FOR UPDATE OF p' : '';
      const [row] = await db.sequelize.query<Raw>(
        `SELECT p.user_id, p.bio, p.timezone, p.min_advance_hours, p.buffer_minutes, p.service_areas, p.published, p.cancellation_policy,
                p.no_show_fee_percent, p.updated_at, s.id AS s_id, s.instructor_id AS s_instructor_id, s.skill AS s_skill,
                s.hourly_rate AS s_hourly_rate, s.currency AS s_currency, s.durations AS s_durations, s.location_types AS s_location_types,
                s.description AS s_description, s.active AS s_active, s.created_at AS s_created_at
         FROM instructor_profiles p LEFT JOIN services s ON s.id = :serviceId AND s.instructor_id = p.user_id
         WHERE p.user_id = :instructorId${lock}`,
        { replacements: { instructorId, serviceId }, type: QueryTypes.SELECT, transaction: tx },
      );
      if (!row) return { profile: null, service: null };
      noteLocked(tx, [instructorLock(instructorId)]);
      const service = row.s_id ? toService(Object.fromEntries(Object.entries(row).filter(([k]) => k.startsWith('s_')).map(([k, v]) => [k.slice(2), v]))) : null;
      return { profile: toProfile(row), service };
    },
    async findService(id: string, tx?: Transaction): Promise<ServiceRow | null> {
      const r = await Service.findByPk(id, { raw: true, transaction: tx });
      return r ? toService(r as unknown as Raw) : null;
    },
    async createService(instructorId: string, input: ServiceInput, tx: Transaction): Promise<ServiceRow> {
      const created = await Service.create({ ...input, instructor_id: instructorId }, { transaction: tx });
      return toService(created.get({ plain: true }) as Raw);
    },
    async updateService(id: string, changes: Partial<ServiceInput>, tx: Transaction): Promise<void> {
      await Service.update(changes, { where: { id }, transaction: tx });
    },
    async deleteService(id: string, tx: Transaction): Promise<void> {
      await Service.destroy({ where: { id }, transaction: tx });
    },
  };
}

export type InstructorRepository = ReturnType<typeof instructorRepository>;
