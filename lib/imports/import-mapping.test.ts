import { describe, expect, it } from "vitest";
import { importMappingSchema, mappingFieldErrors, mappingForHeaders, parseMappingForHeaders, type ImportMapping } from "@/lib/imports/import-mapping";

const errorsOf = (input: unknown) => {
  const r = importMappingSchema.safeParse(input);
  if (r.success) throw new Error("expected the mapping to be refused");
  return mappingFieldErrors(r.error);
};

describe("import mapping", () => {
  it("accepts an identify mapping and defaults trait types to string", () => {
    const m = importMappingSchema.parse({
      mode: "identify",
      columns: { id: { as: "user_id" }, mail: { as: "email" }, card: { as: "external_id", idType: "loyalty_id" }, plan: { as: "trait", trait: "plan" }, age: { as: "trait", trait: "age", type: "number" }, x: { as: "ignore" } },
    });
    expect(m.columns.plan).toEqual({ as: "trait", trait: "plan", type: "string" });
  });

  it("accepts a track mapping with an event name column or a constant", () => {
    expect(importMappingSchema.safeParse({ mode: "track", columns: { id: { as: "user_id" }, ev: { as: "event_name" }, at: { as: "timestamp" }, total: { as: "property", property: "total", type: "number" } } }).success).toBe(true);
    expect(importMappingSchema.safeParse({ mode: "track", eventName: "Order Completed", columns: { mail: { as: "email" } } }).success).toBe(true);
  });

  it("requires an identifier column", () => {
    expect(errorsOf({ mode: "identify", columns: { plan: { as: "trait", trait: "plan" } } })).toEqual({
      columns: ["Map at least one column to an identifier (user id, anonymous id, email, phone or a custom id)."],
    });
  });

  it("requires an event name for track, and only one source of it", () => {
    expect(errorsOf({ mode: "track", columns: { id: { as: "user_id" } } }).eventName[0]).toMatch(/need an event name/);
    expect(errorsOf({ mode: "track", eventName: "X", columns: { id: { as: "user_id" }, ev: { as: "event_name" } } }).eventName[0]).toMatch(/either the event name column \(ev\)/);
  });

  it("refuses track-only columns in identify mode", () => {
    const e = errorsOf({ mode: "identify", eventName: "X", columns: { id: { as: "user_id" }, at: { as: "timestamp" }, p: { as: "property", property: "p" } } });
    expect(Object.keys(e).sort()).toEqual(["columns.at", "columns.p", "eventName"]);
  });

  it("refuses duplicates: two user id columns, a trait mapped twice, an id type twice", () => {
    expect(errorsOf({ mode: "identify", columns: { a: { as: "user_id" }, b: { as: "user_id" } } })["columns.b"][0]).toMatch(/Only one column can be the user id \(also mapped: a\)/);
    expect(errorsOf({ mode: "identify", columns: { a: { as: "user_id" }, b: { as: "trait", trait: "plan" }, c: { as: "trait", trait: "plan" } } })["columns.c"][0]).toMatch(/trait plan is already mapped from column b/);
    expect(errorsOf({ mode: "identify", columns: { a: { as: "external_id", idType: "crm" }, b: { as: "external_id", idType: "CRM" } } })["columns.b"]).toBeDefined();
  });

  it("explains bad column entries", () => {
    expect(errorsOf({ mode: "identify", columns: { a: { as: "user_id" }, b: { as: "nope" } } })["columns.b.as"]).toEqual(["Choose what this column is."]);
    expect(errorsOf({ mode: "identify", columns: { a: { as: "external_id", idType: "loyalty id!" } } })["columns.a.idType"][0]).toMatch(/letters, digits and _/);
    expect(errorsOf({ mode: "identify", columns: { a: { as: "user_id" }, b: { as: "trait", trait: "x", type: "money" } } })["columns.b.type"]).toEqual(["Choose string, number, boolean or date."]);
    expect(errorsOf({ mode: "identify", columns: { a: { as: "user_id" }, b: { as: "trait", trait: "email" } } })["columns.b"][0]).toMatch(/as email \(an identifier\)/);
    expect(errorsOf({ mode: "sync", columns: {} }).mode).toBeDefined();
  });

  it("checks mapped columns against the file's headers", () => {
    const r = parseMappingForHeaders({ mode: "identify", columns: { id: { as: "user_id" }, gone: { as: "email" } } }, ["id", "name"]);
    expect(r).toEqual({ ok: false, fieldErrors: { "columns.gone": ['The file has no column "gone".'] } });
    expect(parseMappingForHeaders({ mode: "identify", columns: { id: { as: "user_id" } } }, ["id", "name"]).ok).toBe(true);
  });

  it("applies a saved mapping to a new file by dropping the missing columns", () => {
    const saved: ImportMapping = { mode: "identify", columns: { id: { as: "user_id" }, old: { as: "email" } } };
    expect(mappingForHeaders(saved, ["id", "new"])).toEqual({ mode: "identify", columns: { id: { as: "user_id" } } });
  });
});
