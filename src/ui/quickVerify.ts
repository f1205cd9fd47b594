/**
 * Signature + merkle-root check of an open pack (the core's verifyPack without lanes: no
 * DATA is read). Cached per pack and trusted-key set, computed off the first paint.
 */
import { useEffect, useState } from 'react';
import { verifyPack, type VerifyReport } from '../core/pack/verify';
import type { PackHandle } from './packRegistry';

const cache = new WeakMap<PackHandle, Map<string, Promise<VerifyReport>>>();

export function quickVerify(handle: PackHandle, trustedKeys: string[]): Promise<VerifyReport> {
  const key = trustedKeys.join(',');
  let m = cache.get(handle);
  if (!m) {
    m = new Map();
    cache.set(handle, m);
  }
  let p = m.get(key);
  if (!p) {
    p = new Promise((resolve) => setTimeout(resolve, 30)).then(() => verifyPack(handle.reader, { lanes: false, trustedKeys: trustedKeys.length ? trustedKeys : undefined }));
    m.set(key, p);
  }
  return p;
}

export function useQuickVerify(handle: PackHandle | undefined, trustedKeys: string[]): VerifyReport | null {
  const [report, setReport] = useState<{ handle: PackHandle; key: string; r: VerifyReport } | null>(null);
  const key = trustedKeys.join(',');
  useEffect(() => {
    if (!handle) return;
    let live = true;
    void quickVerify(handle, key ? key.split(',') : []).then((r) => { if (live) setReport({ handle, key, r }); });
    return () => { live = false; };
  }, [handle, key]);
  return report && report.handle === handle && report.key === key ? report.r : null;
}
