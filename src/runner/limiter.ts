/** A FIFO counting semaphore: at most `limit` holders at once. */
export class Limiter {
  private active = 0;
  private waiting: Array<() => void> = [];
  private head = 0;
  private readonly freeListeners: Array<() => void> = [];

  constructor(readonly limit: number) {}

  /** Holders waiting for a slot. */
  get queued(): number {
    return this.waiting.length - this.head;
  }

  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    if (this.head < this.waiting.length) {
      const next = this.waiting[this.head]!;
      this.waiting[this.head++] = NOOP; // drop the reference; the array is compacted once it is drained
      if (this.head === this.waiting.length) this.resetQueue();
      next();
      return;
    }
    this.active--;
    for (const listener of this.freeListeners) listener();
  }

  /** Calls `listener` whenever a slot becomes free with nobody waiting for it. */
  onFree(listener: () => void): () => void {
    this.freeListeners.push(listener);
    return () => this.freeListeners.splice(this.freeListeners.indexOf(listener), 1);
  }

  private resetQueue(): void {
    this.waiting = [];
    this.head = 0;
  }
}

const NOOP = () => {};

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
