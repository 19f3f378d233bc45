import { describe, expect, it } from "vitest";
import { previewMapping } from "@/lib/imports/preview-mapping";

describe("previewMapping", () => {
  it("shows what each preview row becomes, or why it is refused", () => {
    const r = previewMapping({ headers: ["email", "age"], rows: [["a@example.com", "41"], ["nope", "x"]], mapping: { mode: "identify", columns: { email: { as: "email" }, age: { as: "trait", trait: "age", type: "number" } } } });
    if (!r.ok) throw new Error("expected ok");
    expect(r.results[0]).toMatchObject({ ok: true, message: { type: "identify", traits: { age: 41, email: "a@example.com" } } });
    expect(r.results[1]).toEqual({ ok: false, errors: [
      { rowNumber: 2, column: "email", value: "nope", reason: "is not a valid email address" },
      { rowNumber: 2, column: "age", value: "x", reason: "is not a number" },
    ] });
  });

  it("returns the mapping's issues when it is incomplete", () => {
    expect(previewMapping({ headers: ["a"], rows: [["1"]], mapping: { mode: "track", columns: { a: { as: "user_id" } } } })).toEqual({
      ok: false,
      issues: [{ path: "eventName", message: "Track imports need an event name: map an event name column or enter a constant name." }],
    });
  });
});
