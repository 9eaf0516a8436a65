/**
 * Runs async jobs one at a time, in arrival order. SQLite has a single writer; Sequelize
 * opens a connection per transaction, so concurrent write transactions would fight for the
 * lock and fail with SQLITE_BUSY. Queuing them in the process makes them wait their turn.
 */
export class WriterQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  /** Queues a job; resolves or rejects with the job's own result. */
  run<T>(job: () => Promise<T>): Promise<T> {
    this.waiting++;
    const result = this.tail.then(job);
    this.tail = result.then(
      () => this.waiting--,
      () => this.waiting--,
    );
    return result;
  }

  /** How many jobs are queued or running. */
  get depth(): number {
    return this.waiting;
  }
}
