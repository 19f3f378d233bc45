import { describe, expect, it } from "vitest";
import { WriteKeyRateLimiter } from "@/lib/ingest/write-key-rate-limit";

describe("write key rate limiter", () => {
  it("lets a burst through, then asks to wait, and refills over time", () => {
    const limiter = new WriteKeyRateLimiter(100, 200);
    const t0 = 1_000_000;
    expect(limiter.take("k", 150, t0)).toBe(0);
    expect(limiter.take("k", 100, t0)).toBe(1); // 50 left, 100 wanted: 0.5 s → 1 s
    expect(limiter.take("other", 200, t0)).toBe(0); // keys are separate
    expect(limiter.take("k", 100, t0 + 1000)).toBe(0); // 50 + 100 refilled
    expect(limiter.take("k", 1000, t0 + 1000)).toBe(10);
  });
});
