import { TabNav } from "@/components/app-shell/tab-nav";

export function SettingsTabs({ slug }: { slug: string }) {
  return (
    <TabNav
      label="Settings sections"
      tabs={[
        { href: `/${slug}/settings`, label: "General" },
        { href: `/${slug}/settings/members`, label: "Members" },
        { href: `/${slug}/settings/api-tokens`, label: "API tokens" },
      ]}
    />
  );
}
