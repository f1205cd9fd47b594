import { describe, expect, it } from 'vitest';
import { createWorkbenchStore, integrityLabel, type IntegrityRunner, type PackSummary, type RunnerReport } from './index';

function summary(size: number): PackSummary {
  return {
    header: { version: 0x0100, flags: 1, dims: 16, laneCount: 10, dictBytes: 10, indexBytes: 20, dataBytes: 64, merkleBytes: 0, sigBytes: 0 },
    sections: [], laneIds: [], fileSize: size, bytesRead: 0, handle: `h-${size}`,
  };
}

const report = (over: Partial<RunnerReport> = {}): RunnerReport => ({
  ok: true, lanes: 10, leaves: 'ok', leavesChecked: 10, root: 'ok', rootHex: 'ab', signature: 'valid', publicKey: 'pk', fingerprint: 'fp', issues: [], ...over,
});

/** A runner driven by the test: each job waits until the test finishes it. */
function controlledRunner() {
  const jobs: Array<{ lanes: boolean; header: (r: RunnerReport) => void; progress: (d: number, t: number) => void; finish: (r: RunnerReport) => void; cancelled: boolean }> = [];
  const runner: IntegrityRunner = (_h, opts, ev) => {
    let finish: (r: RunnerReport) => void = () => {};
    const done = new Promise<RunnerReport>((res) => { finish = res; });
    const job = { lanes: opts.lanes, header: ev.onHeader, progress: ev.onProgress, finish, cancelled: false };
    jobs.push(job);
    return { done, cancel: () => { job.cancelled = true; } };
  };
  return { runner, jobs };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

function make(size: number) {
  const c = controlledRunner();
  const store = createWorkbenchStore({ loadPack: async () => summary(size), verify: c.runner });
  return { store, ...c };
}

describe('integrity: one state per open pack', () => {
  it('a small pack is fully verified on open: checking → verifying n% → verified', async () => {
    const { store, jobs } = make(5000);
    const id = await store.getState().openFile(new Blob(['x']), 'a.bin');
    const state = () => store.getState().files.find((f) => f.id === id)!.integrity;
    expect(jobs).toHaveLength(1);
    expect(jobs[0].lanes).toBe(true);
    expect(state()?.state).toBe('checking');
    jobs[0].header(report({ leaves: 'skipped', leavesChecked: 0 }));
    jobs[0].progress(4, 10);
    expect(state()).toMatchObject({ state: 'verifying', done: 4, total: 10 });
    expect(integrityLabel(state())).toBe('verifying 40%');
    jobs[0].finish(report());
    await tick();
    expect(state()).toMatchObject({ state: 'verified', lanes: 10, header: { signature: 'valid', root: 'ok' } });
  });

  it('a tampered lane ends failed with code and offset, and the state stays when other files are opened and selected', async () => {
    const { store, jobs } = make(5000);
    const id = await store.getState().openFile(new Blob(['x']), 'bad.bin');
    jobs[0].header(report({ leaves: 'skipped' }));
    jobs[0].finish(report({ ok: false, leaves: 'failed', issues: [{ code: 'leaf_mismatch', message: 'lane @3', offset: 1234, lane: 'policy' }] }));
    await tick();
    await store.getState().openFile(new Blob(['y']), 'other.bin');
    store.getState().setPanel('lanes');
    store.getState().selectFile(id);
    const i = store.getState().files.find((f) => f.id === id)!.integrity;
    expect(i?.state).toBe('failed');
    expect(integrityLabel(i)).toBe('failed: leaf_mismatch at byte 1,234');
  });

  it('a large pack is checked without DATA (unchecked), then a full check can run and be cancelled', async () => {
    const { store, jobs } = make(20 << 20);
    const id = await store.getState().openFile(new Blob(['x']), 'big.bin');
    const state = () => store.getState().files.find((f) => f.id === id)!.integrity;
    expect(jobs[0].lanes).toBe(false);
    jobs[0].header(report({ leaves: 'skipped', leavesChecked: 0 }));
    jobs[0].finish(report({ leaves: 'skipped', leavesChecked: 0 }));
    await tick();
    expect(state()?.state).toBe('unchecked');
    expect(integrityLabel(state())).toBe('DATA not checked');
    store.getState().checkIntegrity(id, 'full');
    expect(jobs[1].lanes).toBe(true);
    expect(state()?.state).toBe('verifying');
    store.getState().cancelIntegrity(id);
    expect(jobs[1].cancelled).toBe(true);
    expect(state()).toMatchObject({ state: 'unchecked', cancelled: true });
    jobs[1].finish(report()); // a late answer from a cancelled job changes nothing
    await tick();
    expect(state()?.state).toBe('unchecked');
  });

  it('a bad signature fails at once; closing a file cancels its check', async () => {
    const { store, jobs } = make(100);
    const a = await store.getState().openFile(new Blob(['x']), 'sig.bin');
    jobs[0].header(report({ ok: false, signature: 'invalid', issues: [{ code: 'bad_signature', message: 'no', offset: 99 }] }));
    jobs[0].finish(report({ ok: false, signature: 'invalid', leaves: 'skipped', issues: [{ code: 'bad_signature', message: 'no', offset: 99 }] }));
    await tick();
    expect(store.getState().files.find((f) => f.id === a)!.integrity).toMatchObject({ state: 'failed', header: { signature: 'invalid' } });
    const b = await store.getState().openFile(new Blob(['z']), 'closing.bin');
    store.getState().closeFile(b);
    expect(jobs[1].cancelled).toBe(true);
  });
});

describe('opening the same file twice focuses it', () => {
  it('same File (name, size, mtime) → one entry; a different mtime is another file; failed files are listed once', async () => {
    const store = createWorkbenchStore({ loadPack: async (b) => { if ((await (b as Blob).text()) === 'bad') throw new Error('nope'); return summary(b.size); } });
    const f1 = new File(['abc'], 'a.bin', { lastModified: 1 });
    const id1 = await store.getState().openFile(f1, 'a.bin');
    await store.getState().openFile(new File(['zz'], 'b.bin'), 'b.bin');
    const again = await store.getState().openFile(new File(['abc'], 'a.bin', { lastModified: 1 }), 'a.bin');
    expect(again).toBe(id1);
    expect(store.getState().activeId).toBe(id1);
    expect(store.getState().files).toHaveLength(2);
    await store.getState().openFile(new File(['abc'], 'a.bin', { lastModified: 2 }), 'a.bin');
    expect(store.getState().files).toHaveLength(3);
    const bad1 = await store.getState().openFile(new File(['bad'], 'x.bin', { lastModified: 5 }), 'x.bin');
    const bad2 = await store.getState().openFile(new File(['bad'], 'x.bin', { lastModified: 5 }), 'x.bin');
    expect(bad2).toBe(bad1);
    expect(store.getState().files.filter((f) => f.status === 'error')).toHaveLength(1);
    // Packs made in the page are always new entries.
    await store.getState().openFile(new Blob(['m']), 'merge.bin', 'unsaved');
    await store.getState().openFile(new Blob(['m']), 'merge.bin', 'unsaved');
    expect(store.getState().files.filter((f) => f.name === 'merge.bin')).toHaveLength(2);
  });
});

describe('a lane failing while browsing', () => {
  it('turns DATA not checked into failed, and adds to an existing failure once', async () => {
    const { store, jobs } = make(20 << 20);
    const id = await store.getState().openFile(new Blob(['x']), 'big.bin');
    jobs[0].header(report({ leaves: 'skipped' }));
    jobs[0].finish(report({ leaves: 'skipped' }));
    await tick();
    const issue = { code: 'leaf_mismatch', message: 'lane @5', offset: 500, lane: 'x' };
    store.getState().reportLaneIssue(id, issue);
    const state = () => store.getState().files.find((f) => f.id === id)!.integrity;
    expect(state()).toMatchObject({ state: 'failed', header: { signature: 'valid' }, issues: [issue] });
    store.getState().reportLaneIssue(id, issue);
    store.getState().reportLaneIssue(id, { ...issue, offset: 700 });
    expect(state()?.state === 'failed' && state()!.state === 'failed' ? (state() as { issues: unknown[] }).issues.length : 0).toBe(2);
  });
});
