import type {
  AddBlackoutData,
  AddBlackoutResponse,
  ApplyAvailabilityPatternData,
  ApplyAvailabilityPatternResponse,
  ClearAvailabilityDayData,
  ClearAvailabilityDayResponse,
  CopyAvailabilityWeekData,
  CopyAvailabilityWeekResponse,
  CreateApiKeyData,
  CreateApiKeyResponse,
  CreateServiceData,
  CreateServiceResponse,
  DeleteServiceData,
  DeleteServiceResponse,
  GetMyAvailabilityData,
  GetMyAvailabilityResponse,
  ListApiKeysData,
  ListApiKeysResponse,
  ListBlackoutsData,
  ListBlackoutsResponse,
  ListMyServicesData,
  ListMyServicesResponse,
  RemoveBlackoutData,
  RemoveBlackoutResponse,
  RevokeApiKeyData,
  RevokeApiKeyResponse,
  SaveAvailabilityDaysData,
  SaveAvailabilityDaysResponse,
  SetAvailabilityDayData,
  SetAvailabilityDayResponse,
  UpdateServiceData,
  UpdateServiceResponse,
} from '../generated/types.gen.js';
import type { CallOptions, Context, Params } from '../call.js';

/** The signed-in instructor's services (skill, rate, durations, locations). */
export function servicesMethods({ call }: Context) {
  return {
    /** One page of services, active and inactive. */
    list: (query: Params<ListMyServicesData> = {}, options?: CallOptions) => call<ListMyServicesData, ListMyServicesResponse>('GET', '/v1/me/services', { query }, options),
    /** Creates a service. */
    create: (body: Params<CreateServiceData>, options?: CallOptions) => call<CreateServiceData, CreateServiceResponse>('POST', '/v1/me/services', { body }, options),
    /** Changes the given fields of a service. */
    update: ({ service_id, ...body }: Params<UpdateServiceData>, options?: CallOptions) => call<UpdateServiceData, UpdateServiceResponse>('PATCH', '/v1/me/services/{service_id}', { path: { service_id }, body }, options),
    /** Deletes a service; returns it deactivated instead when bookings reference it, else undefined. */
    remove: ({ service_id }: Params<DeleteServiceData>, options?: CallOptions) => call<DeleteServiceData, DeleteServiceResponse>('DELETE', '/v1/me/services/{service_id}', { path: { service_id } }, options),
  };
}

/** The signed-in instructor's availability: time ranges on dates, in their timezone. */
export function availabilityMethods({ call }: Context) {
  return {
    /** Every date in `from..to` with its ranges. */
    get: (query: Params<GetMyAvailabilityData>, options?: CallOptions) => call<GetMyAvailabilityData, GetMyAvailabilityResponse>('GET', '/v1/me/availability', { query }, options),
    /** Replaces the ranges of each given date at once; reports bookings now outside availability. */
    saveDays: (body: Params<SaveAvailabilityDaysData>, options?: CallOptions) => call<SaveAvailabilityDaysData, SaveAvailabilityDaysResponse>('PUT', '/v1/me/availability', { body }, options),
    /** Replaces the ranges of one date. */
    setDay: ({ date, ...body }: Params<SetAvailabilityDayData>, options?: CallOptions) => call<SetAvailabilityDayData, SetAvailabilityDayResponse>('PUT', '/v1/me/availability/{date}', { path: { date }, body }, options),
    /** Removes every range of one date. */
    clearDay: ({ date }: Params<ClearAvailabilityDayData>, options?: CallOptions) => call<ClearAvailabilityDayData, ClearAvailabilityDayResponse>('DELETE', '/v1/me/availability/{date}', { path: { date } }, options),
    /** Copies a week (Monday..Sunday) onto another week. */
    copyWeek: (body: Params<CopyAvailabilityWeekData>, options?: CallOptions) => call<CopyAvailabilityWeekData, CopyAvailabilityWeekResponse>('POST', '/v1/me/availability/copy-week', { body }, options),
    /** Repeats a source week's weekdays over `start_date..end_date`. */
    applyPattern: (body: Params<ApplyAvailabilityPatternData>, options?: CallOptions) => call<ApplyAvailabilityPatternData, ApplyAvailabilityPatternResponse>('POST', '/v1/me/availability/apply-pattern', { body }, options),
  };
}

/** Whole dates the signed-in instructor is unavailable. */
export function blackoutsMethods({ call }: Context) {
  return {
    /** One page of blackout dates, optionally within `from..to`. */
    list: (query: Params<ListBlackoutsData> = {}, options?: CallOptions) => call<ListBlackoutsData, ListBlackoutsResponse>('GET', '/v1/me/blackouts', { query }, options),
    /** Blacks out a date (idempotent); reports active bookings on that date. */
    add: (body: Params<AddBlackoutData>, options?: CallOptions) => call<AddBlackoutData, AddBlackoutResponse>('POST', '/v1/me/blackouts', { body }, options),
    /** Removes a blackout (idempotent). */
    remove: async ({ date }: Params<RemoveBlackoutData>, options?: CallOptions): Promise<void> => {
      await call<RemoveBlackoutData, RemoveBlackoutResponse>('DELETE', '/v1/me/blackouts/{date}', { path: { date } }, options);
    },
  };
}

/** Secret (`ii_live_…`) and publishable (`pk_live_…`) keys of the signed-in user. */
export function apiKeysMethods({ call }: Context) {
  return {
    /** One page of active keys (prefixes only). */
    list: (query: Params<ListApiKeysData> = {}, options?: CallOptions) => call<ListApiKeysData, ListApiKeysResponse>('GET', '/v1/me/api-keys', { query }, options),
    /** Creates a key; its full `secret` is only in this answer. */
    create: (body: Params<CreateApiKeyData>, options?: CallOptions) => call<CreateApiKeyData, CreateApiKeyResponse>('POST', '/v1/me/api-keys', { body }, options),
    /** Revokes a key; it stops working at once. */
    revoke: async ({ key_id }: Params<RevokeApiKeyData>, options?: CallOptions): Promise<void> => {
      await call<RevokeApiKeyData, RevokeApiKeyResponse>('DELETE', '/v1/me/api-keys/{key_id}', { path: { key_id } }, options);
    },
  };
}
