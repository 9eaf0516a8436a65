/** What every scenario is given. */
export interface Context {
  /** `--quick`: the short correctness run for CI. */
  quick: boolean;
  /** Whether the local PostgreSQL server answered (its variants are reported "not run" otherwise). */
  postgres: boolean;
}
