import { describe, expect, it } from "vitest";
import { maskEmail, maskPhone, visibleIdentifier, visibleTrait } from "@/lib/profiles/mask-pii";

describe("PII masking", () => {
  it("masks emails and phones but keeps them distinguishable", () => {
    expect(maskEmail("ann.smith@example.com")).toBe("a•••@example.com");
    expect(maskPhone("+41 79 123 45 67")).toBe("•••67");
  });
  it("masks only for roles without profiles.read_pii, and only contact details", () => {
    expect(visibleIdentifier("email", "ann@x.io", false)).toBe("a•••@x.io");
    expect(visibleIdentifier("email", "ann@x.io", true)).toBe("ann@x.io");
    expect(visibleIdentifier("user_id", "u-1", false)).toBe("u-1");
    expect(visibleTrait("phone", "+41791234567", false)).toBe("•••67");
    expect(visibleTrait("work_email", "b@y.io", false)).toBe("b•••@y.io");
    expect(visibleTrait("plan", "pro", false)).toBe("pro");
    expect(visibleTrait("birthday", "1990-01-01", false)).toBe("•••");
  });
});
