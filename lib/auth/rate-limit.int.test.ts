import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { getPool, closePool } from "@/lib/db/pool";
import { clearLimits, recordFailure, retryAfter, type Limit } from "@/lib/auth/rate-limit";

afterAll(() => closePool());

const limit = (max: number, windowSeconds = 900): Limit => ({ key: `test:${randomBytes(4).toString("hex")}`, max, windowSeconds });

describe("rate limits", () => {
  it("allow attempts up to the limit, then ask to wait until the window ends", async () => {
    const l = limit(3);
    for (let i = 0; i < 3; i++) {
      expect(await retryAfter([l])).toBe(0);
      await recordFailure([l]);
    }
    const wait = await retryAfter([l]);
    expect(wait).toBeGreaterThan(890);
    expect(wait).toBeLessThanOrEqual(900);
  });

  it("count each key separately and report the longest wait", async () => {
    const account = limit(1, 600);
    const ip = limit(5, 900);
    await recordFailure([account, ip]);
    expect(await retryAfter([ip])).toBe(0);
    expect(await retryAfter([account, ip])).toBeGreaterThan(590);
  });

  it("start a new window once the old one has ended", async () => {
    const l = limit(2, 60);
    await recordFailure([l]);
    await recordFailure([l]);
    expect(await retryAfter([l])).toBeGreaterThan(0);
    await getPool().query(`UPDATE rate_limit_buckets SET window_ends_at = now() - interval '1 second' WHERE key = $1`, [l.key]);
    expect(await retryAfter([l])).toBe(0);
    await recordFailure([l]);
    const { rows } = await getPool().query(`SELECT count FROM rate_limit_buckets WHERE key = $1`, [l.key]);
    expect(rows[0].count).toBe(1);
  });

  it("clear an account's counter on success", async () => {
    const l = limit(1);
    await recordFailure([l]);
    await clearLimits([l.key]);
    expect(await retryAfter([l])).toBe(0);
  });
});
