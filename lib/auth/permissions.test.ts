import { describe, expect, it } from "vitest";
import { can, isRole, PERMISSIONS, permissionsOf, ROLES, type Permission } from "@/lib/auth/permissions";

describe("permission matrix", () => {
  it("gives admins every permission", () => {
    for (const p of PERMISSIONS) expect(can("admin", p)).toBe(true);
  });

  it.each<[Permission, boolean, boolean]>([
    // permission, marketer, agent
    ["workspace.read", true, true],
    ["workspace.update", false, false],
    ["members.read", false, false],
    ["members.write", false, false],
    ["settings.read", false, false],
    ["sources.read", true, false],
    ["sources.write", false, false],
    ["profiles.read", true, true],
    ["profiles.read_pii", false, true],
    ["segments.read", true, true],
    ["segments.write", true, false],
    ["destinations.read", true, false],
    ["destinations.write", true, false],
    ["identity.read", true, false],
    ["identity.write", false, false],
    ["governance.read", false, false],
    ["governance.write", false, false],
  ])("%s: marketer=%s agent=%s", (permission, marketer, agent) => {
    expect(can("marketer", permission)).toBe(marketer);
    expect(can("agent", permission)).toBe(agent);
  });

  it("covers every permission in the table above", () => {
    // A new permission must be added to the table, so its grants are decided, not inherited by accident.
    expect(PERMISSIONS).toHaveLength(17);
  });

  it("refuses unknown roles and unknown permissions", () => {
    expect(can("owner" as never, "workspace.read")).toBe(false);
    expect(can("admin", "workspace.delete" as Permission)).toBe(false);
    expect(isRole("admin")).toBe(true);
    expect(isRole("root")).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });

  it("lists each role's permissions without duplicates", () => {
    for (const role of ROLES) {
      const list = permissionsOf(role);
      expect(new Set(list).size).toBe(list.length);
      for (const p of list) expect(can(role, p)).toBe(true);
    }
  });
});
