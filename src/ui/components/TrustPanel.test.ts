import { describe, expect, it } from 'vitest';
import { parsePublicKeyFile } from './TrustPanel';

describe('public key files', () => {
  const hex = 'ab'.repeat(32);
  it('accepts hex, raw 32 bytes and `asx key gen` JSON', () => {
    expect(parsePublicKeyFile(new TextEncoder().encode(`${hex.toUpperCase()}\n`))).toBe(hex);
    expect(parsePublicKeyFile(new Uint8Array(32).fill(0xab))).toBe(hex);
    expect(parsePublicKeyFile(new TextEncoder().encode(JSON.stringify({ public_key: hex, fingerprint: 'x' })))).toBe(hex);
  });
  it('refuses anything else', () => {
    expect(parsePublicKeyFile(new TextEncoder().encode('hello'))).toBeNull();
    expect(parsePublicKeyFile(new Uint8Array(31))).toBeNull();
    expect(parsePublicKeyFile(new TextEncoder().encode('{"public_key":"abcd"}'))).toBeNull();
  });
});
