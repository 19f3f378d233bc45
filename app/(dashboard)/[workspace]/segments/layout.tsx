import { SegmentsTabs } from "@/components/segments/segments-tabs";
import { requirePageAccess } from "@/lib/auth/page-access";

export default async function SegmentsLayout({ children, params }: { children: React.ReactNode; params: Promise<{ workspace: string }> }) {
  const { workspace } = await requirePageAccess((await params).workspace, "segments.read");
  return (
    <>
      <SegmentsTabs slug={workspace.slug} />
      {children}
    </>
  );
}
