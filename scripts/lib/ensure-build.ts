// `npm start` builds when the production build is missing or older than the sources. The
// fingerprint is a hash of file contents (not mtimes, which a fresh clone resets).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const INPUTS = ["app", "components", "lib", "public", "prisma/schema.prisma", "proxy.ts", "next.config.js", "postcss.config.mjs", "tsconfig.json", "package-lock.json"];

function walk(root: string, rel: string, out: string[]) {
  const full = path.join(root, rel);
  if (!fs.existsSync(full)) return;
  if (fs.statSync(full).isFile()) return void out.push(rel);
  for (const entry of fs.readdirSync(full).sort()) walk(root, path.join(rel, entry), out);
}

export function sourceFingerprint(root: string): string {
  const files: string[] = [];
  for (const input of INPUTS) walk(root, input, files);
  const hash = createHash("sha256");
  for (const file of files.filter((f) => !/\.test\.tsx?$/.test(f))) hash.update(file).update("\0").update(fs.readFileSync(path.join(root, file))).update("\0");
  return hash.digest("hex");
}

export function ensureBuild(root: string, log: (m: string) => void): void {
  const stamp = path.join(root, ".next", "tessera-fingerprint");
  const fingerprint = sourceFingerprint(root);
  const built = fs.existsSync(path.join(root, ".next", "BUILD_ID")) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === fingerprint;
  if (built) return;
  log("Building the web app (first start or sources changed; about a minute)…");
  const r = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (r.status !== 0) throw new Error("next build failed (see the output above).");
  fs.writeFileSync(stamp, fingerprint);
}
