import type { Db } from '../platform/db.js';
import type { Transaction } from 'sequelize';
import { AppError } from '../platform/errors.js';
import { decodeCursor, pageOf } from '../platform/pagination.js';
import { assertTimezone } from '../platform/time.js';
import { DEFAULT_CANCELLATION_POLICY, type PolicyTier } from '../payments/policy.js';
import type { InstructorRepository, ProfileInput, ProfileRow, ServiceInput, ServiceRow } from './repository.js';
import type { SearchIndex } from '../search/index-writer.js';

interface Deps {
  db: Db;
  instructors: InstructorRepository;
  /** True when any booking references the service (then it is deactivated, not deleted). */
  serviceHasBookings(serviceId: string, tx: Transaction): Promise<boolean>;
  /** Called after a write that changes what the public sees about an instructor. */
  onPublicChange(instructorId: string): Promise<void>;
  /** Rebuilds the instructor's search rows, in the same transaction. */
  search: Pick<SearchIndex, 'instructorChanged'>;
  /** NO_SHOW_FEE_PERCENT: shown for profiles that set none. */
  noShowFeePercent: number;
}

/** The profile as the owner sees it (with the effective cancellation policy and no-show fee). */
export function profileView(p: ProfileRow, noShowFeePercent: number) {
  const { user_id: _userId, ...rest } = p;
  return { ...rest, cancellation_policy: p.cancellation_policy ?? [...DEFAULT_CANCELLATION_POLICY], no_show_fee_percent: p.no_show_fee_percent ?? noShowFeePercent };
}

/** A policy must name each `hours_before` once. */
function assertPolicy(policy: PolicyTier[]): PolicyTier[] {
  const hours = policy.map((t) => t.hours_before);
  if (new Set(hours).size !== hours.length) {
    throw new AppError('validation_error', 'Each cancellation policy tier needs its own hours_before.', { errors: [{ path: '/body/cancellation_policy', message: 'hours_before must be unique' }] });
  }
  return [...policy].sort((a, b) => b.hours_before - a.hours_before);
}

/** A service as the API shows it. */
export function serviceView(s: ServiceRow) {
  const { instructor_id: _instructorId, ...rest } = s;
  return rest;
}

/** Instructor profile and services, managed by the instructor. */
export function instructorService({ db, instructors, serviceHasBookings, onPublicChange, search, noShowFeePercent }: Deps) {
  async function profileOf(userId: string): Promise<ProfileRow> {
    const profile = await instructors.findProfile(userId);
    if (!profile) throw new AppError('forbidden', 'Only instructor accounts have an instructor profile.');
    return profile;
  }

  async function ownService(userId: string, serviceId: string, tx?: Transaction): Promise<ServiceRow> {
    const service = await instructors.findService(serviceId, tx);
    if (!service || service.instructor_id !== userId) {
      throw new AppError('not_found', 'No such service. List yours with GET /v1/me/services.');
    }
    return service;
  }

  return {
    profileOf,

    async getProfile(userId: string) {
      return profileView(await profileOf(userId), noShowFeePercent);
    },

    /** Updates the given profile fields. */
    async updateProfile(userId: string, input: ProfileInput) {
      await profileOf(userId);
      const changes = { ...input };
      if (changes.timezone !== undefined) changes.timezone = assertTimezone(changes.timezone);
      if (changes.service_areas) changes.service_areas = [...new Set(changes.service_areas.map((a) => a.trim()).filter(Boolean))];
      if (changes.cancellation_policy) changes.cancellation_policy = assertPolicy(changes.cancellation_policy);
      await db.transaction(async (tx) => {
        await instructors.updateProfile(userId, changes, tx);
        await search.instructorChanged(tx, userId);
      });
      await onPublicChange(userId);
      return profileView(await profileOf(userId), noShowFeePercent);
    },

    async listServices(userId: string, limit: number, cursor?: string) {
      await profileOf(userId);
      const after = decodeCursor<{ created_at: string; id: string }>(cursor, ['created_at', 'id']);
      const rows = await instructors.listServices(userId, { afterId: after, limit: limit + 1 });
      return pageOf(rows, limit, serviceView, (s) => ({ created_at: s.created_at, id: s.id }));
    },

    async createService(userId: string, input: Omit<ServiceInput, 'active' | 'description' | 'currency'> & { description?: string; currency?: string }) {
      await profileOf(userId);
      const service = await db.transaction(async (tx) => {
        const created = await instructors.createService(
          userId,
          {
            skill: input.skill.trim(),
            hourly_rate: input.hourly_rate,
            currency: input.currency ?? 'EUR',
            durations: [...new Set(input.durations)].sort((a, b) => a - b),
            location_types: [...new Set(input.location_types)],
            description: input.description ?? '',
            active: true,
          },
          tx,
        );
        await search.instructorChanged(tx, userId);
        return created;
      });
      await onPublicChange(userId);
      return serviceView(service);
    },

    async updateService(userId: string, serviceId: string, changes: Partial<ServiceInput>) {
      const clean = { ...changes };
      if (clean.skill !== undefined) clean.skill = clean.skill.trim();
      if (clean.durations) clean.durations = [...new Set(clean.durations)].sort((a, b) => a - b);
      if (clean.location_types) clean.location_types = [...new Set(clean.location_types)];
      await db.transaction(async (tx) => {
        await ownService(userId, serviceId, tx);
        await instructors.updateService(serviceId, clean, tx);
        await search.instructorChanged(tx, userId);
      });
      await onPublicChange(userId);
      return serviceView(await ownService(userId, serviceId));
    },

    /** Deletes a service, or deactivates it when bookings reference it (their history keeps it). */
    async deleteService(userId: string, serviceId: string): Promise<{ deactivated: ReturnType<typeof serviceView> | null }> {
      const deactivated = await db.transaction(async (tx) => {
        await ownService(userId, serviceId, tx);
        const keep = await serviceHasBookings(serviceId, tx);
        if (keep) await instructors.updateService(serviceId, { active: false }, tx);
        else await instructors.deleteService(serviceId, tx);
        await search.instructorChanged(tx, userId);
        return keep;
      });
      await onPublicChange(userId);
      return { deactivated: deactivated ? serviceView(await ownService(userId, serviceId)) : null };
    },
  };
}

export type InstructorService = ReturnType<typeof instructorService>;
