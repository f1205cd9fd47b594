import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { WorkbenchState, WorkbenchStore } from './store';

const StoreContext = createContext<WorkbenchStore | null>(null);

export function WorkbenchProvider({ store, children }: { store: WorkbenchStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useWorkbenchStore(): WorkbenchStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useWorkbench must be used inside <WorkbenchProvider>');
  return store;
}

/** Select one value (or a `useShallow` selector) from the workbench store. */
export function useWorkbench<T>(selector: (s: WorkbenchState) => T): T {
  return useStore(useWorkbenchStore(), selector);
}
