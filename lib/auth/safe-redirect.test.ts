import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";

describe("safeRedirectPath", () => {
  it("keeps same-site paths", () => {
    expect(safeRedirectPath("/acme/profiles?q=1")).toBe("/acme/profiles?q=1");
  });
  it.each([["https://evil.example"], ["//evil.example"], ["/\\evil.example"], [""], [undefined], [42]])("refuses %s", (value) => {
    expect(safeRedirectPath(value)).toBe("/");
  });
});
