import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageAccess } from "@/lib/auth/page-access";
import { NewSourceForm } from "./new-source-form";

export const metadata: Metadata = { title: "New source" };

export default async function NewSourcePage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await requirePageAccess((await params).workspace, "sources.write");
  return (
    <>
      <PageHeader title="New source" description="Where does the data come from? You get a write key and ready-made setup code next." />
      <div className="mt-6"><NewSourceForm slug={workspace.slug} /></div>
    </>
  );
}
