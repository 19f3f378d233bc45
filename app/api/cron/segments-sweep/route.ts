import { cronRoute } from "@/lib/jobs/cron-route";
import { sweepTimeWindows } from "@/lib/segments/sweep-segments";

export const dynamic = "force-dynamic";

export const POST = cronRoute("segments-sweep", () => sweepTimeWindows({ log: (line) => console.log(line) }));
export const GET = POST;
