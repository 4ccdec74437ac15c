import { PLAIN } from '../core/style';
import { makeCheck, makeLedger } from '../test-support/make-ledger';
import { escapeXml, formatJunit } from './format-junit';
import { formatStepSummary } from './format-step-summary';
import { formatSummaryTable } from './format-summary-table';
import type { ReportInput } from './report-input';

const failed: ReportInput = {
  ledger: makeLedger({ stage: 'ship', status: 'failed', releaseId: 'abc123' }, [
    {
      id: 'gate',
      kind: 'gate',
      env: 'prod',
      target: 'dist/release/shop/prepare/checks_run.json',
      argv: [],
      command: '',
      reason: 'release abc123 prepared',
      exitCode: null,
      durationMs: 3,
    },
    {
      id: 'publish:sdk@1.0.0',
      kind: 'publish',
      env: 'prod',
      target: 'npm',
      command: 'npm view sdk@1.0.0 version',
      status: 'skipped',
      reason: 'already live',
      durationMs: 800,
    },
    {
      id: 'post_deploy',
      env: 'prod',
      target: 'shop',
      command: "heroku run --app=shop -- 'rake db:migrate'",
      status: 'failed',
      reason: 'exit code 7',
      exitCode: 7,
      durationMs: 41_200,
      outputTail: 'rake aborted! <Error> "x" & \u001b[31mred\u001b[0m',
    },
  ]),
  notRun: [
    { kind: 'deploy', id: 'deploy', env: 'prod', target: 'shop', command: { argv: ['deploy'] } },
  ],
};

describe('formatJunit', () => {
  it('writes one testcase per check, failures with reason and output, skips with reason', () => {
    expect(formatJunit(failed).split('\n')).toEqual([
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuites name="nx-release-deploy" tests="4" failures="1" errors="0" skipped="2" time="42.003">',
      '  <testsuite name="shop ship (release abc123)" tests="4" failures="1" errors="0" skipped="2" time="42.003" timestamp="2026-11-29T10:00:00.000Z">',
      '    <properties>',
      '      <property name="project" value="shop"/>',
      '      <property name="stage" value="ship"/>',
      '      <property name="releaseId" value="abc123"/>',
      '      <property name="status" value="failed"/>',
      '    </properties>',
      '    <testcase classname="shop ship" name="gate · prod · dist/release/shop/prepare/checks_run.json" time="0.003"></testcase>',
      '    <testcase classname="shop ship" name="publish:sdk@1.0.0 · prod · npm" time="0.800">',
      '      <skipped message="already live"/>',
      '    </testcase>',
      '    <testcase classname="shop ship" name="post_deploy · prod · shop" time="41.200">',
      `      <failure message="exit code 7" type="failed">$ heroku run --app=shop -- &apos;rake db:migrate&apos;`,
      'rake aborted! &lt;Error&gt; &quot;x&quot; &amp; [31mred[0m</failure>',
      '    </testcase>',
      '    <testcase classname="shop ship" name="deploy · prod · shop" time="0">',
      '      <skipped message="not run: the stage stopped at post_deploy"/>',
      '    </testcase>',
      '  </testsuite>',
      '</testsuites>',
      '',
    ]);
  });

  it('drops characters XML 1.0 cannot hold, keeps tabs, newlines and non-ASCII', () => {
    expect(escapeXml('a\u0000b\u0008c\td\ne\u001bé🚀\uFFFE')).toBe('abc\td\neé🚀');
  });
});

describe('formatStepSummary', () => {
  it('is a Markdown table with escaped cells', () => {
    const input: ReportInput = {
      ledger: makeLedger({}, [
        makeCheck({ reason: 'a | b\nc', status: 'failed', durationMs: 1500 }),
      ]),
      notRun: [],
    };
    expect(formatStepSummary(input).split('\n')).toEqual([
      '### ✅ nx-release-deploy: prepare of shop succeeded',
      '',
      'Release `a1b2c3d`, started 2026-11-29T10:00:00.000Z.',
      '',
      '| Status | Step | Env | Target | Duration | Reason |',
      '| --- | --- | --- | --- | --- | --- |',
      '| ❌ failed | `post_deploy` | qa | shop-qa | 1.5s | a \\| b c |',
      '',
    ]);
  });

  it('lists the steps that did not run', () => {
    expect(formatStepSummary(failed)).toContain(
      '| ➖ not run | `deploy` | prod | shop |  | the stage stopped before it |',
    );
  });
});

describe('formatSummaryTable', () => {
  it('aligns every check and the steps not run', () => {
    expect(formatSummaryTable(failed, PLAIN).split('\n')).toEqual([
      'Summary: ship of shop (release abc123)',
      '  step               env   target                                     status   time   reason',
      '  gate               prod  dist/release/shop/prepare/checks_run.json  ok       0.0s   release abc123 prepared',
      '  publish:sdk@1.0.0  prod  npm                                        skipped  0.8s   already live',
      '  post_deploy        prod  shop                                       failed   41.2s  exit code 7',
      '  deploy             prod  shop                                       not run',
    ]);
  });
});
