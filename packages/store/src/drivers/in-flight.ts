import { pgErrorInfo } from '../db.js';

/**
 * The statements one transaction scope (a transaction or a savepoint) has sent, answered or not. A caller
 * may send statements without waiting for each answer (the session runs them in order); the scope ends only
 * once every one is answered, and fails with the first failure.
 */
export class InFlight {
  private readonly sent: Promise<void>[] = [];
  private failed = false;
  private first: unknown;

  /**
   * `p` with its failure remembered. After a failure PostgreSQL refuses every statement of the transaction
   * (25P02, "current transaction is aborted") until it ends: those report the first failure instead.
   */
  track<T>(p: Promise<T>): Promise<T> {
    const tracked = p.then(undefined, (e: unknown) => {
      if (!this.failed) {
        this.failed = true;
        this.first = e;
      }
      throw pgErrorInfo(e)?.code === '25P02' ? this.first : e;
    });
    this.sent.push(
      tracked.then(
        () => undefined,
        () => undefined,
      ),
    );
    return tracked;
  }

  /** Waits until every statement sent so far is answered; rejects with the first failure. */
  async settle(): Promise<void> {
    await Promise.all(this.sent);
    if (this.failed) throw this.first;
  }

  /** Waits until every statement sent so far is answered, whatever the answers. */
  async drain(): Promise<void> {
    await Promise.all(this.sent);
  }
}
