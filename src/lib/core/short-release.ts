// A release id for prose: a commit SHA is cut to 12 characters (as git's abbreviations are),
// anything else is kept whole. Ledgers and reports keep the full id.
export function shortRelease(releaseId: string): string {
  return /^[0-9a-f]{40,64}$/.test(releaseId) ? releaseId.slice(0, 12) : releaseId;
}
