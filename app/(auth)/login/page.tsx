import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { currentUser } from "@/lib/auth/current-user";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { isSetupComplete } from "@/lib/setup/create-first-admin";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; signedOut?: string }> }) {
  if (!(await isSetupComplete())) redirect("/setup");
  const params = await searchParams;
  if (await currentUser()) redirect(safeRedirectPath(params.callbackUrl));
  return (
    <Card>
      <CardHeader>
        <CardTitle>Sign in to Tessera</CardTitle>
        <CardDescription>Use the email and password your admin gave you.</CardDescription>
      </CardHeader>
      <CardContent>
        <LoginForm callbackUrl={params.callbackUrl} notice={params.signedOut ? "You have been signed out." : undefined} />
      </CardContent>
    </Card>
  );
}
