import { DataTypes, type Model, type Optional, type Sequelize } from 'sequelize';

/** pending: waits for run_at; running: leased by an instance until locked_until; done; failed: out of attempts. */
export type JobStatus = 'pending' | 'running' | 'done' | 'failed';

/** One durable job: a one-off task (mail, a payment step) or the next run of a recurring one. */
export interface JobAttributes {
  id: string;
  name: string;
  /** Dedupe key: at most one job per key (recurring jobs use `every:<name>` / `cron:<name>`). */
  key: string | null;
  payload: unknown;
  status: JobStatus;
  run_at: Date;
  attempts: number;
  max_attempts: number;
  locked_until: Date | null;
  /** The claim that holds the lease; only its holder may record the outcome. */
  lease_token: string | null;
  last_error: string | null;
  finished_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export type JobModel = Model<JobAttributes, Optional<JobAttributes, 'id' | 'key' | 'attempts' | 'locked_until' | 'lease_token' | 'last_error' | 'finished_at' | 'created_at' | 'updated_at'>>;

/** The jobs table (the one durable scheduler every instance shares). */
export function defineJobModels(sequelize: Sequelize) {
  const Job = sequelize.define<JobModel>(
    'Job',
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      name: { type: DataTypes.STRING(64), allowNull: false },
      key: { type: DataTypes.STRING(200), allowNull: true, unique: true },
      payload: { type: DataTypes.JSON, allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      run_at: { type: DataTypes.DATE, allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      max_attempts: { type: DataTypes.INTEGER, allowNull: false },
      locked_until: { type: DataTypes.DATE, allowNull: true },
      lease_token: { type: DataTypes.UUID, allowNull: true },
      last_error: { type: DataTypes.TEXT, allowNull: true },
      finished_at: { type: DataTypes.DATE, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'jobs', underscored: true },
  );
  return { Job };
}
