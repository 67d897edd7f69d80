import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { serviceMetrics } from '../../services/metrics.js';

// The Prometheus rules and the Grafana dashboard under ops/, against the series the service exports:
// a rule or a panel that names a series nobody exports is silent for ever, which no run would show.

const OPS = new URL('../../ops/', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, OPS), 'utf8');

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const ruleFiles = readdirSync(new URL('prometheus/rules/', OPS)).filter((f) => f.endsWith('.yml'));
const rules = ruleFiles.flatMap((f) =>
  (parse(read(`prometheus/rules/${f}`)) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules),
);
const recorded = new Set(rules.flatMap((r) => (r.record ? [r.record] : [])));
const alerts = rules.filter((r) => r.alert);

interface Panel {
  title: string;
  type: string;
  targets?: { expr: string }[];
}
const dashboard = JSON.parse(read('grafana/dashboards/media-discovery.json')) as {
  uid: string;
  panels: Panel[];
};
const panelExprs = dashboard.panels.flatMap((p) =>
  (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })),
);

/** Every series name a scrape of the API or a worker can hold: each metric, a histogram's three series. */
function exportedNames(): Set<string> {
  const names = new Set<string>(['up']);
  for (const line of serviceMetrics().registry.render().split('\n')) {
    const match = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (!match) continue;
    const [, name, type] = match as unknown as [string, string, string];
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    else names.add(name);
  }
  return names;
}

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring']);

/**
 * The series names a PromQL expression selects: what is left once strings, label matchers, label
 * lists, ranges, keywords and function calls are taken out.
 */
function seriesNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ');
  return [...stripped.matchAll(/(?<![\w.:])[a-zA-Z_:][\w:]*(?![\w:])(?!\s*\()/g)]
    .map((m) => m[0])
    .filter((name) => !KEYWORDS.has(name));
}

describe('a PromQL expression read for its series names', () => {
  it('finds the series and nothing else', () => {
    expect(
      seriesNames(
        'histogram_quantile(0.95, sum by (le, route) (rate(mdisc_http_request_duration_seconds_bucket{route="/v1/x",le!="1"}[5m])))',
      ),
    ).toEqual(['mdisc_http_request_duration_seconds_bucket']);
    expect(seriesNames('mdisc:a:max - min_over_time(mdisc:a:max[15m]) > 0 or up offset 1m')).toEqual([
      'mdisc:a:max',
      'mdisc:a:max',
      'up',
    ]);
    expect(seriesNames('max(no_such_series) / 2')).toEqual(['no_such_series']);
  });
});

describe('ops/: the rules and the dashboard against the exported series', () => {
  const known = new Set([...exportedNames(), ...recorded]);

  it('names only series the service exports, or that a rule records', () => {
    const unknown = [
      ...rules.map((r) => ({ where: r.record ?? r.alert!, expr: r.expr })),
      ...panelExprs.map((p) => ({ where: `panel "${p.panel}"`, expr: p.expr })),
    ].flatMap(({ where, expr }) =>
      seriesNames(expr)
        .filter((n) => !known.has(n))
        .map((n) => `${where}: ${n}`),
    );
    expect(unknown).toEqual([]);
    // Read as written, not vacuously: the parse found the series of every rule and panel.
    for (const { expr } of [...rules, ...panelExprs])
      expect(seriesNames(expr).length, expr).toBeGreaterThan(0);
  });

  it("alerts on each of the issue's conditions, each with a severity and a runbook section", () => {
    expect(alerts.map((a) => a.alert).sort()).toEqual([
      'ControllerUnhealthy',
      'DeadLettersGrowing',
      'DriftRemainsAfterRepair',
      'IngestAssetFailureRateHigh',
      'IngestRequestErrorRateHigh',
      'MetricsTargetDown',
      'OutboxRelayLagHigh',
      'ProcessingLagHigh',
      'ProjectionLagHigh',
      'SearchLatencyAboveObjective',
    ]);
    const readme = read('prometheus/README.md');
    const anchors = new Set(
      [...readme.matchAll(/^#+ (.+)$/gm)].map((m) =>
        m[1]!
          .trim()
          .toLowerCase()
          .replace(/[^\w -]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    for (const alert of alerts) {
      expect(['critical', 'warning'], alert.alert).toContain(alert.labels?.severity);
      const runbook = alert.annotations?.runbook ?? '';
      expect(runbook, alert.alert).toBe(`ops/prometheus/README.md#${alert.alert!.toLowerCase()}`);
      expect(anchors.has(alert.alert!.toLowerCase()), `README section for ${alert.alert}`).toBe(true);
    }
  });

  it('charts every recorded series on the dashboard, from the provisioned datasource', () => {
    const charted = new Set(panelExprs.flatMap((p) => seriesNames(p.expr)));
    expect([...recorded].filter((r) => !charted.has(r))).toEqual([]);
    const datasources = parse(read('grafana/provisioning/datasources/prometheus.yml')) as {
      datasources: { uid: string; url: string }[];
    };
    const uid = datasources.datasources[0]!.uid;
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
      expect((panel as unknown as { datasource: { uid: string } }).datasource.uid, panel.title).toBe(uid);
    }
    expect(datasources.datasources[0]!.url).toBe('http://prometheus:9090');
  });
});

const promtool = spawnSync('promtool', ['--version']).status === 0;
if (!promtool) {
  console.warn('ops/prometheus: promtool checks skipped: no promtool (apt-get install prometheus)');
}

describe.skipIf(!promtool)('promtool', () => {
  const run = (...args: string[]) =>
    execFileSync('promtool', args, {
      cwd: new URL('../..', import.meta.url),
      encoding: 'utf8',
      stdio: 'pipe',
    });

  it('accepts the rules and the scrape configuration, and every rule test passes', () => {
    for (const f of ruleFiles)
      expect(run('check', 'rules', `ops/prometheus/rules/${f}`)).toContain('SUCCESS');
    expect(run('check', 'config', 'ops/prometheus/prometheus.yml')).toContain('SUCCESS');
    const tests = readdirSync(new URL('prometheus/tests/', OPS)).map((f) => `ops/prometheus/tests/${f}`);
    expect(tests.length).toBeGreaterThan(0);
    // execFileSync throws on a failing test, with promtool's report of it.
    expect(run('test', 'rules', ...tests)).toContain('SUCCESS');
  });
});
