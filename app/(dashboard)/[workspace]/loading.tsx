import { Spinner } from "@/components/ui/spinner";

export default function Loading() {
  return (
    <div className="flex min-h-[40vh] items-center justify-center text-neutral-500">
      <Spinner className="size-6" />
    </div>
  );
}
