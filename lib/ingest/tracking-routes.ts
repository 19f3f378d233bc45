// The Segment-compatible routes (../shared/contracts/tracking-api.md), long and short forms.
export const MESSAGE_TYPES = ["identify", "track", "page", "screen", "group", "alias"] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export type TrackingRoute =
  | { kind: "message"; type: MessageType }
  | { kind: "batch" }
  | { kind: "metrics" }
  | { kind: "settings"; writeKey: string };

const SINGLE: Record<string, MessageType> = {
  identify: "identify", i: "identify",
  track: "track", t: "track",
  page: "page", p: "page",
  screen: "screen", s: "screen",
  group: "group", g: "group",
  alias: "alias", a: "alias",
};

/** Maps a /v1/… path to what it accepts, or null when it is not a tracking route. */
export function matchTrackingRoute(pathname: string): TrackingRoute | null {
  const parts = pathname.replace(/\/+$/, "").split("/");
  if (parts[1] !== "v1") return null;
  if (parts.length === 3) {
    const name = parts[2];
    if (name in SINGLE) return { kind: "message", type: SINGLE[name] };
    if (name === "batch" || name === "import" || name === "b") return { kind: "batch" };
    if (name === "m") return { kind: "metrics" };
    return null;
  }
  if (parts.length === 5 && parts[2] === "projects" && parts[4] === "settings" && parts[3]) {
    return { kind: "settings", writeKey: decodeURIComponent(parts[3]) };
  }
  return null;
}
