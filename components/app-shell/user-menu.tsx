import { LogOut } from "lucide-react";
import { signOutAction } from "@/app/(dashboard)/actions";
import { ROLE_LABELS, type Role } from "@/lib/auth/permissions";

export function UserMenu({ user, role }: { user: { name: string; email: string }; role: Role }) {
  return (
    <div className="flex items-center gap-2 border-t border-neutral-200 pt-3">
      <div className="min-w-0 flex-1">
        <p className="truncate text-sm font-medium" data-testid="user-name">{user.name}</p>
        <p className="truncate text-xs text-neutral-500">{user.email} · {ROLE_LABELS[role].label}</p>
      </div>
      <form action={signOutAction}>
        <button type="submit" className="rounded-md p-2 text-neutral-500 hover:bg-neutral-100 hover:text-neutral-900 focus-visible:outline-2 focus-visible:outline-indigo-600" aria-label="Sign out" title="Sign out">
          <LogOut aria-hidden className="size-4" />
        </button>
      </form>
    </div>
  );
}
