import { DataTypes, QueryTypes, type QueryInterface } from 'sequelize';

/**
 * The per-person "busy" table: one row per participant of each booking that holds time.
 * The instructor's row runs to end + her buffer, the student's to the lesson's end. On
 * PostgreSQL one exclusion constraint over (person_id, [start_at, busy_until)) replaces the
 * two per-role constraints on bookings, so a person who teaches and learns is never in two
 * lessons at once. Cancelling sets released_at, which takes the row out of the constraint.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  const sequelize = qi.sequelize;
  const postgres = sequelize.getDialect() === 'postgres';
  await qi.createTable('booking_participants', {
    booking_id: { type: DataTypes.UUID, primaryKey: true, allowNull: false, references: { model: 'bookings', key: 'id' } },
    role: { type: DataTypes.STRING(16), primaryKey: true, allowNull: false },
    person_id: { type: DataTypes.UUID, allowNull: false, references: { model: 'users', key: 'id' } },
    start_at: { type: DataTypes.DATE, allowNull: false },
    end_at: { type: DataTypes.DATE, allowNull: false },
    busy_until: { type: DataTypes.DATE, allowNull: false },
    released_at: { type: DataTypes.DATE, allowNull: true },
  });
  await qi.addIndex('booking_participants', ['person_id', 'start_at']);

  // Every booking that is not cancelled holds its participants' time (completed and no-show too).
  for (const [role, person, until] of [['instructor', 'instructor_id', 'blocked_until'], ['student', 'student_id', 'end_at']] as const) {
    await sequelize.query(
      `INSERT INTO booking_participants (booking_id, role, person_id, start_at, end_at, busy_until, released_at)
       SELECT id, '${role}', ${person}, start_at, end_at, ${until}, NULL FROM bookings WHERE status <> 'cancelled'`,
    );
  }
  await settleLegacyOverlaps(qi);

  if (postgres) {
    await sequelize.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await sequelize.query(`ALTER TABLE booking_participants ADD CONSTRAINT booking_participants_no_overlap
      EXCLUDE USING gist (person_id WITH =, tstzrange(start_at, busy_until, '[)') WITH &&)
      WHERE (released_at IS NULL)`);
    // The per-person constraint guards both roles (and more), so the old per-role ones only cost writes.
    await sequelize.query('ALTER TABLE bookings DROP CONSTRAINT IF EXISTS bookings_no_instructor_overlap');
    await sequelize.query('ALTER TABLE bookings DROP CONSTRAINT IF EXISTS bookings_no_student_overlap');
  }
}

/**
 * Bookings made before this rule may overlap for one person (teaching while learning, or time
 * freed early by completing a lesson). Per person, in start order, a row inside the time of the
 * rows before it is released and a row reaching into it starts where they end: the person's busy
 * time stays exactly the same, and the constraint can be created.
 */
async function settleLegacyOverlaps(qi: QueryInterface): Promise<void> {
  const rows = await qi.sequelize.query<{ booking_id: string; role: string; prev_end: unknown; inside: number | string }>(
    `SELECT booking_id, role, prev_end, CASE WHEN prev_end >= busy_until THEN 1 ELSE 0 END AS inside FROM (
       SELECT booking_id, role, start_at, busy_until,
         MAX(busy_until) OVER (PARTITION BY person_id ORDER BY start_at, booking_id, role ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
       FROM booking_participants WHERE released_at IS NULL) ordered
     WHERE prev_end > start_at`,
    { type: QueryTypes.SELECT },
  );
  const now = new Date();
  for (const r of rows) {
    const where = 'WHERE booking_id = :booking_id AND role = :role';
    const replacements = { booking_id: r.booking_id, role: r.role, now, start: r.prev_end };
    if (Number(r.inside) === 1) await qi.sequelize.query(`UPDATE booking_participants SET released_at = :now ${where}`, { replacements });
    else await qi.sequelize.query(`UPDATE booking_participants SET start_at = :start ${where}`, { replacements });
  }
}
