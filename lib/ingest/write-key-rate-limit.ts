// Per-write-key token bucket (per process): a runaway client gets 429 + Retry-After instead of
// crowding out every other source.
export class WriteKeyRateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perSecond: number, private readonly burst = perSecond * 2) {}

  /** 0 when `count` messages may pass now, else seconds to wait. */
  take(key: string, count: number, now = Date.now()): number {
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    if (this.buckets.size > 10_000) this.buckets.clear();
    this.buckets.set(key, b);
    if (b.tokens >= count) {
      b.tokens -= count;
      return 0;
    }
    return Math.max(1, Math.ceil((count - b.tokens) / this.perSecond));
  }
}
