import { DataTypes, type Model, type Optional, type Sequelize } from 'sequelize';

export type ParticipantRole = 'instructor' | 'student';

/** One person's busy time for one booking: the instructor's runs to end + buffer, the student's to the end. */
export interface BusyAttributes {
  booking_id: string;
  role: ParticipantRole;
  person_id: string;
  start_at: Date;
  end_at: Date;
  busy_until: Date;
  /** Set when the booking is cancelled: the time is free again. */
  released_at: Date | null;
}

export type BusyModel = Model<BusyAttributes, Optional<BusyAttributes, 'released_at'>>;

/** The booking_participants table (the conflict rule's single source of truth). */
export function defineBusyModel(sequelize: Sequelize) {
  const BookingParticipant = sequelize.define<BusyModel>(
    'BookingParticipant',
    {
      booking_id: { type: DataTypes.UUID, primaryKey: true },
      role: { type: DataTypes.STRING(16), primaryKey: true },
      person_id: { type: DataTypes.UUID, allowNull: false },
      start_at: { type: DataTypes.DATE, allowNull: false },
      end_at: { type: DataTypes.DATE, allowNull: false },
      busy_until: { type: DataTypes.DATE, allowNull: false },
      released_at: { type: DataTypes.DATE, allowNull: true },
    },
    { tableName: 'booking_participants', timestamps: false },
  );
  return { BookingParticipant };
}
