import type { ConfigIssue } from '../core/config-issue';
import { describeValue } from '../core/describe-value';

/**
 * The releaseId option as Nx hands it over. Nx's parser makes a number of `--releaseId=20261201`
 * (the caller puts back the text typed when it can find it), `true` of a bare `--releaseId` and
 * an array of a repeated one. A whole number is an id as it stands (a CI build number); any
 * other number has lost how it was written. Other types are left to the schema's message.
 */
export function readReleaseIdOption(value: unknown): { value: unknown } | { issue: ConfigIssue } {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return { value: String(value) };
    return {
      issue: {
        path: 'releaseId',
        problem: `is the number ${String(value)}, which no longer says how it was written`,
        fix: 'write it as a string, e.g. "releaseId": "1.50" in project.json, or pass --releaseId=<id>',
      },
    };
  }
  if (value === true) {
    return {
      issue: {
        path: 'releaseId',
        problem: 'has no value',
        fix: 'pass it as --releaseId=<id> (normally the commit SHA)',
      },
    };
  }
  if (Array.isArray(value)) {
    return {
      issue: {
        path: 'releaseId',
        problem: `is given ${value.length} times (${value.map(describeValue).join(', ')})`,
        fix: 'pass --releaseId once',
      },
    };
  }
  return { value };
}
