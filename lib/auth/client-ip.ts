// The HTTP server (lib/server/start-http-server.ts) writes the peer address into this header and
// drops any value a client sent, so it cannot be spoofed. With TRUST_PROXY it uses the first
// X-Forwarded-For hop instead.
export const CLIENT_IP_HEADER = "x-tessera-client-ip";

export function clientIp(headers: Headers): string {
  return headers.get(CLIENT_IP_HEADER) ?? "unknown";
}
