import type { StateCreator } from 'zustand';
import type { WorkbenchState } from './index';

export const PANELS = ['overview', 'lanes', 'trust', 'diff', 'compile', 'svg', 'gccp', 'tensors', 'objects', 'gym', 'infer'] as const;
export type Panel = (typeof PANELS)[number];

export type LaneSort = 'symbol' | 'class' | 'id' | 'saturation';

export interface LaneView {
  /** Substring of the lane id, or /regex/. */
  pattern: string;
  /** Classes hidden by the filter. */
  hiddenClasses: string[];
  /** Keep only lanes whose audited clip ratio is at least this (0 = no filter). */
  minSaturation: number;
  sort: LaneSort;
  /** Colour domain: the pack's representable range (±1/min scale) or fitted to decoded lanes. */
  scale: 'pack' | 'fit';
}

export interface TrustedKey {
  /** 64 lower-case hex digits (Ed25519 public key). */
  key: string;
  label: string;
}

export interface UiSlice {
  panel: Panel;
  /** Selected lane (DICT index) of the active pack, or null. */
  lane: number | null;
  /** Lane id waiting to be selected once its pack is open (URL hash on reload). */
  pendingLaneId: string | null;
  laneView: LaneView;
  diffA: string | null;
  diffB: string | null;
  trustedKeys: TrustedKey[];
  /** The file list beside the main panel (collapsible for narrow windows). */
  sidebarOpen: boolean;
  setSidebarOpen: (open: boolean) => void;
  setPanel: (p: Panel) => void;
  selectLane: (index: number | null) => void;
  setPendingLaneId: (id: string | null) => void;
  setLaneView: (patch: Partial<LaneView>) => void;
  setDiff: (a: string | null, b: string | null) => void;
  addTrustedKey: (key: string, label: string) => boolean;
  removeTrustedKey: (key: string) => void;
  setBytesRead: (fileId: string, bytesRead: number) => void;
  setManifest: (fileId: string, manifestJson: string, schema?: string) => void;
}

export interface KeyStorage {
  load(): TrustedKey[];
  save(keys: TrustedKey[]): void;
}

export const memoryKeyStorage = (): KeyStorage => {
  let keys: TrustedKey[] = [];
  return { load: () => keys, save: (k) => { keys = k; } };
};

export function isPanel(v: unknown): v is Panel {
  return typeof v === 'string' && (PANELS as readonly string[]).includes(v);
}

export function createUiSlice(storage: KeyStorage): StateCreator<WorkbenchState, [], [], UiSlice> {
  return (set, get) => ({
    panel: 'overview',
    lane: null,
    pendingLaneId: null,
    laneView: { pattern: '', hiddenClasses: [], minSaturation: 0, sort: 'class', scale: 'fit' },
    diffA: null,
    diffB: null,
    trustedKeys: storage.load(),
    sidebarOpen: true,
    setSidebarOpen: (sidebarOpen) => set({ sidebarOpen }),
    setPanel: (panel) => set({ panel }),
    selectLane: (lane) => set({ lane }),
    setPendingLaneId: (pendingLaneId) => set({ pendingLaneId }),
    setLaneView: (patch) => set((s) => ({ laneView: { ...s.laneView, ...patch } })),
    setDiff: (diffA, diffB) => set({ diffA, diffB }),
    addTrustedKey: (key, label) => {
      const k = key.trim().toLowerCase();
      if (!/^[0-9a-f]{64}$/.test(k)) return false;
      if (get().trustedKeys.some((t) => t.key === k)) return true;
      const trustedKeys = [...get().trustedKeys, { key: k, label: label || k.slice(0, 12) }];
      storage.save(trustedKeys);
      set({ trustedKeys });
      return true;
    },
    removeTrustedKey: (key) => {
      const trustedKeys = get().trustedKeys.filter((t) => t.key !== key);
      storage.save(trustedKeys);
      set({ trustedKeys });
    },
    setBytesRead: (fileId, bytesRead) => {
      const f = get().files.find((x) => x.id === fileId);
      if (!f?.pack || f.pack.bytesRead === bytesRead) return;
      set((s) => ({ files: s.files.map((x) => (x.id === fileId && x.pack ? { ...x, pack: { ...x.pack, bytesRead } } : x)) }));
    },
    setManifest: (fileId, manifestJson, schema) => {
      if (!get().files.some((f) => f.id === fileId && f.pack)) return;
      set((s) => ({ files: s.files.map((x) => (x.id === fileId && x.pack ? { ...x, pack: { ...x.pack, manifestJson, schema } } : x)) }));
    },
  });
}
