import { describe, expect, it } from "vitest";
import { describeLag } from "@/lib/workspaces/workspace-overview";

describe("describeLag", () => {
  it("says caught up when nothing waits, else how far behind", () => {
    expect(describeLag({ oldestUnprocessedSeconds: 0, unprocessedEvents: 0 })).toBe("Caught up");
    expect(describeLag({ oldestUnprocessedSeconds: 8.4, unprocessedEvents: 10 })).toBe("8 s behind");
    expect(describeLag({ oldestUnprocessedSeconds: 150, unprocessedEvents: 10 })).toBe("3 min behind");
    expect(describeLag({ oldestUnprocessedSeconds: 7300, unprocessedEvents: 10 })).toBe("2 h behind");
  });
});
