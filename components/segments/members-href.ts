// URLs of the members table's states; shared by the server page and the client table, so not a
// client module (the server cannot call functions exported from one).
import type { MemberSort, MemberSortDirection } from "@/lib/segments/segment-members";

export interface MembersState {
  query: string;
  sort: MemberSort;
  direction: MemberSortDirection;
  page: number;
}

export const DEFAULT_MEMBER_DIRECTION: Record<MemberSort, MemberSortDirection> = { entered: "desc", name: "asc", last_seen: "desc" };

export function membersHref(base: string, state: Partial<MembersState>): string {
  const p = new URLSearchParams();
  if (state.query) p.set("q", state.query);
  if (state.sort && state.sort !== "entered") p.set("sort", state.sort);
  if (state.sort && state.direction && state.direction !== DEFAULT_MEMBER_DIRECTION[state.sort]) p.set("dir", state.direction);
  if (state.page && state.page > 1) p.set("page", String(state.page));
  const qs = p.toString();
  return `${base}${qs ? `?${qs}` : ""}#members`;
}

