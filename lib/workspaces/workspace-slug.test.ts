import { describe, expect, it } from "vitest";
import { slugify } from "@/lib/workspaces/workspace-slug";

describe("slugify", () => {
  it.each([
    ["Acme Corp", "acme-corp"],
    ["  Café Müller & Söhne  ", "cafe-muller-sohne"],
    ["***", "workspace"],
    ["Login", "login-workspace"],
    ["api", "api-workspace"],
    ["a".repeat(80), "a".repeat(40)],
  ])("%s → %s", (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });
});
