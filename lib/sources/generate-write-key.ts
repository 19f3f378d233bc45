import { randomBytes } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** 32 alphanumeric characters (~190 bits), the shape Segment write keys have. */
export function generateWriteKey(): string {
  const bytes = randomBytes(64);
  let key = "";
  for (const b of bytes) {
    if (b < 248) key += ALPHABET[b % 62]; // 248 = 4 × 62: no modulo bias
    if (key.length === 32) return key;
  }
  return key + generateWriteKey().slice(0, 32 - key.length);
}
