import type { Sequelize } from 'sequelize';
import { defineAccountModels } from '../accounts/model.js';
import { defineInstructorModels } from '../instructors/model.js';
import { defineAvailabilityModels } from '../availability/model.js';
import { defineBookingModels } from '../bookings/model.js';
import { defineBusyModel } from '../bookings/busy-model.js';
import { defineSessionModels } from '../sessions/model.js';
import { defineJobModels } from '../jobs/model.js';
import { definePaymentModels } from '../payments/model.js';
import { defineCalendarModels } from '../calendar/model.js';
import { defineWebhookModels } from '../webhooks/model.js';
import { defineReminderModels } from '../reminders/model.js';

/** Defines every resource's models on one Sequelize instance. */
export function defineModels(sequelize: Sequelize) {
  return {
    ...defineAccountModels(sequelize),
    ...defineInstructorModels(sequelize),
    ...defineAvailabilityModels(sequelize),
    ...defineBookingModels(sequelize),
    ...defineBusyModel(sequelize),
    ...defineSessionModels(sequelize),
    ...defineJobModels(sequelize),
    ...definePaymentModels(sequelize),
    ...defineCalendarModels(sequelize),
    ...defineWebhookModels(sequelize),
    ...defineReminderModels(sequelize),
  };
}

export type Models = ReturnType<typeof defineModels>;
