import type { DatasetItem } from "../dataset/types.js";

/** The items a lane works through, in order. A model thread's feed is refilled from the main thread in batches. */
export interface ItemFeed {
  /** The next item, or undefined when none is at hand: yet (more are on their way) or ever (`ended`). */
  next(): DatasetItem | undefined;
  /** Every item has been handed out. */
  readonly ended: boolean;
  /** Calls `listener` when items arrive after next() found none. */
  onItems(listener: () => void): void;
}

/** A feed over items already in memory. */
export function arrayFeed(items: readonly DatasetItem[]): ItemFeed {
  let next = 0;
  return {
    next: () => items[next++],
    get ended() {
      return next >= items.length;
    },
    onItems() {},
  };
}

/** Items sent to a model thread at a time: the thread holds about this many, not the whole dataset. */
export const FEED_BATCH = 512;

/**
 * A model thread's feed: it asks for the next batch (`ask`) while it still holds half a batch, so the lane never
 * waits for the round trip, and holds at most a batch and a half.
 */
export class BatchFeed implements ItemFeed {
  private queue: DatasetItem[] = [];
  private head = 0;
  private last = false;
  private asked = true; // the first batch comes with the job
  private listener = () => {};

  constructor(private readonly ask: () => void) {}

  push(items: DatasetItem[], last: boolean): void {
    this.queue = this.head >= this.queue.length ? items : this.queue.slice(this.head).concat(items);
    this.head = 0;
    this.last = last;
    this.asked = false;
    this.listener();
  }

  next(): DatasetItem | undefined {
    if (!this.last && !this.asked && this.queue.length - this.head <= FEED_BATCH / 2) {
      this.asked = true;
      this.ask();
    }
    return this.head < this.queue.length ? this.queue[this.head++] : undefined;
  }

  get ended(): boolean {
    return this.last && this.head >= this.queue.length;
  }

  onItems(listener: () => void): void {
    this.listener = listener;
  }
}
