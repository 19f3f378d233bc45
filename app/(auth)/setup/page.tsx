import type { Metadata } from "next";
import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { isSetupComplete } from "@/lib/setup/create-first-admin";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "Set up Tessera" };

export default async function SetupPage() {
  if (await isSetupComplete()) {
    return (
      <Card>
        <CardHeader>
          <CardTitle>Tessera is already set up</CardTitle>
          <CardDescription>The first admin account exists. Sign in, or ask an admin to add you to a workspace.</CardDescription>
        </CardHeader>
        <CardContent>
          <Link href="/login" className={buttonVariants({ className: "w-full" })}>Go to sign in</Link>
        </CardContent>
      </Card>
    );
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>Welcome to Tessera</CardTitle>
        <CardDescription>Create the first admin account and your workspace. This page works only once.</CardDescription>
      </CardHeader>
      <CardContent>
        <SetupForm />
      </CardContent>
    </Card>
  );
}
