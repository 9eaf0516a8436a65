import * as api from '../generated/sdk.gen.js';
import type {
  AddBlackoutData,
  ApplyAvailabilityPatternData,
  ClearAvailabilityDayData,
  CopyAvailabilityWeekData,
  CreateApiKeyData,
  CreateServiceData,
  DeleteServiceData,
  GetMyAvailabilityData,
  ListApiKeysData,
  ListBlackoutsData,
  ListMyServicesData,
  RemoveBlackoutData,
  RevokeApiKeyData,
  SaveAvailabilityDaysData,
  SetAvailabilityDayData,
  UpdateServiceData,
} from '../generated/types.gen.js';
import type { CallOptions, Context, Params } from '../call.js';

/** The signed-in instructor's services (skill, rate, durations, locations). */
export function servicesMethods({ client, send }: Context) {
  return {
    /** One page of services, active and inactive. */
    list: (query: Params<ListMyServicesData> = {}, options?: CallOptions) => send(options, (o) => api.listMyServices({ client, query, ...o })),
    /** Creates a service. */
    create: (body: Params<CreateServiceData>, options?: CallOptions) => send(options, (o) => api.createService({ client, body, ...o })),
    /** Changes the given fields of a service. */
    update: ({ service_id, ...body }: Params<UpdateServiceData>, options?: CallOptions) => send(options, (o) => api.updateService({ client, path: { service_id }, body, ...o })),
    /** Deletes a service; returns it deactivated instead when bookings reference it, else undefined. */
    remove: ({ service_id }: Params<DeleteServiceData>, options?: CallOptions) => send(options, (o) => api.deleteService({ client, path: { service_id }, ...o })),
  };
}

/** The signed-in instructor's availability: time ranges on dates, in their timezone. */
export function availabilityMethods({ client, send }: Context) {
  return {
    /** Every date in `from..to` with its ranges. */
    get: (query: Params<GetMyAvailabilityData>, options?: CallOptions) => send(options, (o) => api.getMyAvailability({ client, query, ...o })),
    /** Replaces the ranges of each given date at once; reports bookings now outside availability. */
    saveDays: (body: Params<SaveAvailabilityDaysData>, options?: CallOptions) => send(options, (o) => api.saveAvailabilityDays({ client, body, ...o })),
    /** Replaces the ranges of one date. */
    setDay: ({ date, ...body }: Params<SetAvailabilityDayData>, options?: CallOptions) => send(options, (o) => api.setAvailabilityDay({ client, path: { date }, body, ...o })),
    /** Removes every range of one date. */
    clearDay: ({ date }: Params<ClearAvailabilityDayData>, options?: CallOptions) => send(options, (o) => api.clearAvailabilityDay({ client, path: { date }, ...o })),
    /** Copies a week (Monday..Sunday) onto another week. */
    copyWeek: (body: Params<CopyAvailabilityWeekData>, options?: CallOptions) => send(options, (o) => api.copyAvailabilityWeek({ client, body, ...o })),
    /** Repeats a source week's weekdays over `start_date..end_date`. */
    applyPattern: (body: Params<ApplyAvailabilityPatternData>, options?: CallOptions) => send(options, (o) => api.applyAvailabilityPattern({ client, body, ...o })),
  };
}

/** Whole dates the signed-in instructor is unavailable. */
export function blackoutsMethods({ client, send }: Context) {
  return {
    /** One page of blackout dates, optionally within `from..to`. */
    list: (query: Params<ListBlackoutsData> = {}, options?: CallOptions) => send(options, (o) => api.listBlackouts({ client, query, ...o })),
    /** Blacks out a date (idempotent); reports active bookings on that date. */
    add: (body: Params<AddBlackoutData>, options?: CallOptions) => send(options, (o) => api.addBlackout({ client, body, ...o })),
    /** Removes a blackout (idempotent). */
    remove: async ({ date }: Params<RemoveBlackoutData>, options?: CallOptions): Promise<void> => {
      await send(options, (o) => api.removeBlackout({ client, path: { date }, ...o }));
    },
  };
}

/** Secret (`ii_live_…`) and publishable (`pk_live_…`) keys of the signed-in user. */
export function apiKeysMethods({ client, send }: Context) {
  return {
    /** One page of active keys (prefixes only). */
    list: (query: Params<ListApiKeysData> = {}, options?: CallOptions) => send(options, (o) => api.listApiKeys({ client, query, ...o })),
    /** Creates a key; its full `secret` is only in this answer. */
    create: (body: Params<CreateApiKeyData>, options?: CallOptions) => send(options, (o) => api.createApiKey({ client, body, ...o })),
    /** Revokes a key; it stops working at once. */
    revoke: async ({ key_id }: Params<RevokeApiKeyData>, options?: CallOptions): Promise<void> => {
      await send(options, (o) => api.revokeApiKey({ client, path: { key_id }, ...o }));
    },
  };
}
