/**
 * The plugin's wording that e2e tests assert, in one place: release ids in prose are cut to
 * 12 characters when they are commit SHAs, and an ABORTED line ends with what to do next.
 */
export function shortRelease(releaseId: string): string {
  return /^[0-9a-f]{40,64}$/.test(releaseId) ? releaseId.slice(0, 12) : releaseId;
}

// The end of an ABORTED line: how to continue (any step but the gate), and where the ledger is.
export function formatAbortedNext(
  project: string,
  stage: 'prepare' | 'ship',
  step: string,
): string {
  const ledger = `dist/release/${project}/${stage}/checks_run.json`;
  return step === 'gate'
    ? `Ledger: ${ledger}`
    : `To continue once the cause is fixed: nx run ${project}:release-${stage} --resume (ledger: ${ledger})`;
}
