import { z } from "zod";

export const SOURCE_KINDS = ["website", "server", "mobile", "file"] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const SOURCE_KIND_LABELS: Record<SourceKind, { label: string; description: string }> = {
  website: { label: "Website", description: "analytics.js in the browser: page views, clicks, sign-ups" },
  server: { label: "Server", description: "Your back end, with @segment/analytics-node or any HTTP client" },
  mobile: { label: "Mobile app", description: "iOS and Android apps with the Segment or RudderStack SDKs" },
  file: { label: "File import", description: "CSV exports from CRM, point-of-sale and email platforms" },
};

export const sourceNameSchema = z.string({ error: "Enter a name." }).trim().min(2, { error: "Use at least 2 characters." }).max(80, { error: "Use at most 80 characters." });

/** An origin is scheme://host[:port], exactly what browsers send in the Origin header. */
export const originSchema = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "http:" || u.protocol === "https:") && u.origin === v.replace(/\/$/, "");
    } catch {
      return false;
    }
  }, { error: "Use an origin like https://www.example.com (scheme and host, no path)." })
  .transform((v) => v.replace(/\/$/, ""));

/** Grace period for a rotated key, in hours (0: the old key stops at once). */
export const graceHoursSchema = z.coerce.number({ error: "Choose a grace period." }).int().min(0, { error: "Choose a grace period." }).max(24 * 30, { error: "At most 30 days." });
